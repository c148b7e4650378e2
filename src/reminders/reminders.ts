import { webApi } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { Logger } from 'winston';
import { reminderSettingsMessage } from '../blocks/reminder-settings-message';
import type { SlackMessage } from '../blocks/task-message';
import type { AsanaGateway } from '../services/asana/asana-gateway';
import type { Clock } from '../clock';
import type { TaskService } from '../services/asana/task-service';
import type { People } from '../services/people';
import type { SlackProfile, SlackUsers } from '../services/slack/slack-users';
import type { Store } from '../store/store';
import type { RemindRequest } from './remind-args';
import { ReminderActions } from './reminder-actions';
import { ReminderLedger } from './reminder-ledger';
import { planReminders } from './reminder-plan';
import { ReminderPoster, classifySlackFailure } from './reminder-poster';
import { ReminderPreferences } from './reminder-preferences';
import { ReminderReader } from './reminder-reader';
import { ReminderScheduler } from './reminder-scheduler';
import { RequestPacer } from './request-pacer';
import { ReminderSweeper, type SweepTuning, defaultSweepTuning } from './reminder-sweeper';

export interface ReminderOptions extends SweepTuning {
  /** Run croner's every-minute timer; tests leave it off and call `runOnce` with a virtual clock. */
  timer: boolean;
  /**
   * Share of ASANA_RATE_LIMIT_PER_MIN the sweep paces itself to. The limiter's background share (60%)
   * remains the hard cap; pacing below it leaves room for retries and other background reads, and
   * 40% or more of the budget is always left for people's commands.
   */
  budgetShare: number;
}

const defaultReminderOptions: ReminderOptions = {
  ...defaultSweepTuning,
  timer: true,
  budgetShare: 0.5,
};

/**
 * A DM that has not come back in this long is given up on and counted as "maybe posted", never
 * resent. Without a timeout the Slack client would wait forever on a hung connection.
 */
const SEND_TIMEOUT_MS = 30_000;

export interface RemindersDeps {
  store: Store;
  users: SlackUsers;
  people: People;
  /** The bridge's one gateway: reminders share its limiter and per-minute budget. */
  gateway: AsanaGateway;
  /** The interactive task service, for buttons people click. */
  tasks: TaskService;
  workspaceGid: string;
  /** ASANA_RATE_LIMIT_PER_MIN. */
  perMinute: number;
  slack: { token: string; clientOptions: WebClientOptions; logger?: SlackLogger };
  clock: Clock;
  logger: Logger;
  options?: Partial<ReminderOptions>;
}

/**
 * Due-date reminders in Slack DMs: settings, the every-minute sweep, and the reminder buttons. Built
 * once in app.ts; started after the Slack app and stopped (awaited) before it.
 */
export class Reminders {
  readonly preferences: ReminderPreferences;
  readonly actions: ReminderActions;
  readonly sweeper: ReminderSweeper;
  private readonly ledger: ReminderLedger;
  private readonly scheduler: ReminderScheduler;
  private readonly options: ReminderOptions;

  constructor(private readonly deps: RemindersDeps) {
    this.options = { ...defaultReminderOptions, ...deps.options };
    const logger = deps.logger.child({ component: 'reminders' });
    const client = reminderSlackClient(deps.slack);
    const poster = new ReminderPoster(client, deps.clock);
    const pacer = new RequestPacer(deps.clock, deps.perMinute * this.options.budgetShare);
    this.ledger = new ReminderLedger(deps.store, deps.clock, classifySlackFailure, logger);
    this.preferences = new ReminderPreferences(deps.store, deps.clock, deps.logger);
    const reader = new ReminderReader({
      users: deps.users,
      people: deps.people,
      store: deps.store,
      gateway: deps.gateway,
      pacer,
      workspaceGid: deps.workspaceGid,
      clock: deps.clock,
      logger,
    });
    this.sweeper = new ReminderSweeper({
      store: deps.store,
      reader,
      ledger: this.ledger,
      poster,
      clock: deps.clock,
      logger: deps.logger,
      tuning: this.options,
    });
    this.actions = new ReminderActions({
      tasks: deps.tasks,
      poster,
      preferences: this.preferences,
      sweeper: this.sweeper,
      ledger: this.ledger,
      clock: deps.clock,
      logger,
    });
    this.scheduler = new ReminderScheduler(() => this.sweeper.tick(), deps.logger);
  }

  start(): void {
    if (this.options.timer) this.scheduler.start();
  }

  /** Stops the timer and waits for the sweep's reads and sends in flight. */
  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.sweeper.stop();
  }

  /** One sweep and everything it set off; for tests and the benchmark, which bring their own clock. */
  async runOnce(): Promise<void> {
    await this.sweeper.tick();
    await this.sweeper.idle();
  }

  /** Hook for the access policy: someone used the bot, so enroll them. Never fails the request. */
  noteActivity(profile: SlackProfile): void {
    this.preferences.noteActivity(profile).catch((error) =>
      this.deps.logger.warn('could not enroll in reminders', {
        component: 'reminders',
        user: profile.id,
        reason: (error as Error).message,
      }),
    );
  }

  /** `/asana remind [...]`: shows or changes the person's settings and says what happens next. */
  async command(profile: SlackProfile, request: RemindRequest): Promise<SlackMessage> {
    let headline: string | undefined;
    if (request.kind !== 'show') {
      const { after } = await this.preferences.change(profile, request);
      headline = headlineFor(request, after.time);
    }
    const settings = await this.preferences.current(profile);
    const now = this.deps.clock.now();
    const plan = planReminders(settings, undefined, now);
    const dueNow = plan.daily !== undefined && !(await this.ledger.isDone(plan.daily.key));
    // Only for the warning: the settings are saved already, so an Asana hiccup here must not fail them.
    const identity = await this.deps.people.asanaIdentity(profile.id).catch(() => undefined);
    return reminderSettingsMessage({
      settings,
      timeZone: plan.zone,
      now: new Date(now),
      nextAt: plan.nextAt,
      dueNow,
      headline,
      warning:
        settings.enabled && identity?.kind === 'unmapped'
          ? `${identity.reason}, so no reminders can reach you.`
          : undefined,
    });
  }
}

function headlineFor(request: Exclude<RemindRequest, { kind: 'show' }>, time: string): string {
  switch (request.kind) {
    case 'on':
      return ':white_check_mark: Reminders are on.';
    case 'off':
      return ":white_check_mark: Reminders are off. I won't send you any.";
    case 'at':
      return `:white_check_mark: Your daily reminder is now at ${time}.`;
    case 'before':
      return request.minutes > 0
        ? ':white_check_mark: Before-due reminder changed.'
        : ':white_check_mark: Before-due reminders are off.';
  }
}

/**
 * Reminders get their own Slack client: no automatic retries (a retry after a timeout is how one DM
 * becomes two; the ledger decides what to retry), rate limits reported instead of waited out, and a
 * timeout so a hung connection cannot hold a sweep.
 */
function reminderSlackClient(slack: RemindersDeps['slack']): WebClient {
  return new webApi.WebClient(slack.token, {
    ...slack.clientOptions,
    ...(slack.logger ? { logger: slack.logger } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: SEND_TIMEOUT_MS,
  });
}
