import type { Logger } from 'winston';
import type { Clock } from '../clock';
import type { SlackProfile } from '../services/slack/slack-users';
import type { ReminderSettings, Store } from '../store/store';
import type { RemindRequest } from './remind-args';

/** When the daily DM comes unless the person says otherwise: the start of most working days. */
const DEFAULT_REMINDER_TIME = '09:00';
/** How long before a task with a due time its reminder comes unless the person says otherwise. */
const DEFAULT_BEFORE_MINUTES = 30;

/** Bounds the memory of who is already enrolled; past it, a first-use check costs one store read. */
const MAX_REMEMBERED = 10_000;

/**
 * Each person's reminder settings. People are enrolled the first time they use the bot (reminders on,
 * 09:00 in their Slack zone, 30 minutes before due times) unless they already have settings, so someone
 * who said `/asana remind off` stays off.
 */
export class ReminderPreferences {
  private readonly enrolled = new Set<string>();
  /** Enrollments under way; a settings change waits for the person's, or the defaults could win. */
  private readonly enrolling = new Map<string, Promise<void>>();
  private readonly logger: Logger;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'reminders' });
  }

  /** Called for every request the access policy lets through; enrolls newcomers, never changes settings. */
  noteActivity(profile: SlackProfile): Promise<void> {
    if (profile.isBot || profile.deleted || profile.isExternal || this.enrolled.has(profile.id)) {
      return Promise.resolve();
    }
    const running = this.enrolling.get(profile.id);
    if (running) return running;
    const enrollment = this.enroll(profile).finally(() => this.enrolling.delete(profile.id));
    this.enrolling.set(profile.id, enrollment);
    return enrollment;
  }

  private async enroll(profile: SlackProfile): Promise<void> {
    if (!(await this.store.getReminderSettings(profile.id))) {
      await this.store.saveReminderSettings(this.defaults(profile));
      this.logger.info('enrolled in reminders', { user: profile.id, timeZone: profile.timeZone });
    }
    if (this.enrolled.size >= MAX_REMEMBERED) this.enrolled.clear();
    this.enrolled.add(profile.id);
  }

  /** The person's settings; the defaults (not saved) for someone who never used the bot. */
  async current(profile: SlackProfile): Promise<ReminderSettings> {
    return (await this.store.getReminderSettings(profile.id)) ?? this.defaults(profile);
  }

  /**
   * Applies `/asana remind on|off|at|before`. Setting a time turns reminders on, since that is what
   * someone setting a time wants. Turning them on restarts the opt-in clock, so a person switching
   * reminders on after today's time gets the next one, not an immediate DM.
   */
  async change(
    profile: SlackProfile,
    request: Exclude<RemindRequest, { kind: 'show' }>,
  ): Promise<{ before: ReminderSettings; after: ReminderSettings }> {
    // The command that asks for this change also enrolled the person a moment ago, if they were new.
    await this.enrolling.get(profile.id)?.catch(() => undefined);
    const before = await this.current(profile);
    const now = new Date(this.clock.now()).toISOString();
    const after: ReminderSettings = { ...before, timeZone: profile.timeZone, updatedAt: now };
    switch (request.kind) {
      case 'on':
        after.enabled = true;
        break;
      case 'off':
        after.enabled = false;
        break;
      case 'at':
        after.enabled = true;
        after.time = request.time;
        break;
      case 'before':
        after.beforeMinutes = request.minutes;
        break;
    }
    if (after.enabled && !before.enabled) after.optedInAt = now;
    await this.store.saveReminderSettings(after);
    this.enrolled.add(profile.id);
    this.logger.info('reminder settings changed', { user: profile.id, change: request.kind });
    return { before, after };
  }

  private defaults(profile: SlackProfile): ReminderSettings {
    const now = new Date(this.clock.now()).toISOString();
    return {
      slackUserId: profile.id,
      enabled: true,
      time: DEFAULT_REMINDER_TIME,
      beforeMinutes: DEFAULT_BEFORE_MINUTES,
      timeZone: profile.timeZone,
      optedInAt: now,
      updatedAt: now,
    };
  }
}
