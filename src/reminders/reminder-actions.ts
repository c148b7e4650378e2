import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { Logger } from 'winston';
import { type SnoozeChoice, snoozedReminderMessage, withTaskOutcome } from '../blocks/reminder-message';
import type { Clock } from '../clock';
import type { TaskChanges, TaskService } from '../services/asana/task-service';
import type { Task } from '../services/asana/types';
import type { SlackProfile } from '../services/slack/slack-users';
import { addDays, localDate, safeZone, wallClockInstant } from './local-time';
import { type ReminderLedger, dueKey } from './reminder-ledger';
import type { ReminderPoster } from './reminder-poster';
import type { ReminderPreferences } from './reminder-preferences';
import type { ReminderSweeper } from './reminder-sweeper';

/** "For 1 hour". */
const SNOOZE_MS = 60 * 60_000;
/** Messages whose latest blocks are remembered, so quick clicks on one DM do not undo each other. */
const MAX_REMEMBERED_MESSAGES = 500;

/** The reminder a button was clicked in, as the click's payload shows it. */
export interface ReminderMessageRef {
  channel: string;
  ts: string;
  text: string;
  blocks: KnownBlock[];
}

export interface ReminderActionsOptions {
  tasks: TaskService;
  poster: ReminderPoster;
  preferences: ReminderPreferences;
  sweeper: ReminderSweeper;
  ledger: ReminderLedger;
  clock: Clock;
  logger: Logger;
}

/**
 * What the buttons on a reminder do: complete the task in Asana, snooze it (for an hour, until
 * tomorrow's reminder, or by pushing its due date a day), and show the result in the DM itself.
 */
export class ReminderActions {
  private readonly latestBlocks = new Map<string, KnownBlock[]>();
  private readonly edits = new Map<string, Promise<void>>();

  constructor(private readonly options: ReminderActionsOptions) {}

  async complete(taskGid: string, requester: SlackProfile, message: ReminderMessageRef): Promise<void> {
    await this.options.tasks.updateTask(taskGid, { completed: true });
    this.options.sweeper.forgetTask(requester.id, taskGid);
    await this.edit(message, (blocks) =>
      withTaskOutcome(blocks, taskGid, { status: ':white_check_mark: Completed' }),
    );
  }

  async snooze(
    choice: SnoozeChoice,
    taskGid: string,
    requester: SlackProfile,
    message: ReminderMessageRef,
  ): Promise<void> {
    const { tasks, clock } = this.options;
    const zone = safeZone(requester.timeZone);
    const now = clock.now();
    const task = await tasks.getTask(taskGid);
    if (task.completed) {
      this.options.sweeper.forgetTask(requester.id, taskGid);
      await this.edit(message, (blocks) =>
        withTaskOutcome(blocks, taskGid, { status: ':white_check_mark: Already completed in Asana' }),
      );
      return;
    }

    if (choice === 'push') {
      const updated = await tasks.updateTask(taskGid, pushedDue(task, zone, now));
      this.options.sweeper.updateTask(requester.id, updated);
      await this.edit(message, (blocks) =>
        withTaskOutcome(blocks, taskGid, { task: updated, options: { timeZone: zone, now: new Date(now) } }),
      );
      return;
    }

    let status: string;
    let until: number;
    if (choice === '1h') {
      until = now + SNOOZE_MS;
      // Slack holds the snoozed reminder, so it survives a restart of the bridge and is posted once.
      await this.options.poster.schedule(
        message.channel,
        until,
        snoozedReminderMessage(task, { timeZone: zone, now: new Date(until) }),
      );
      status = `:zzz: Snoozed until ${clockTime(until, zone)}. I'll remind you then.`;
    } else {
      const settings = await this.options.preferences.current(requester);
      until = wallClockInstant(addDays(localDate(now, zone), 1), settings.time, zone);
      status = settings.enabled
        ? `:zzz: Snoozed until tomorrow's reminder at ${clockTime(until, zone)}.`
        : ':zzz: Snoozed. Your daily reminders are off, so it will not come up again; `/asana remind on` turns them on.';
    }
    await this.quietBeforeDue(requester, task, now, until);
    await this.edit(message, (blocks) => withTaskOutcome(blocks, taskGid, { status }));
  }

  /** A snoozed task's before-due reminder inside the snooze would defeat it, so it is settled unsent. */
  private async quietBeforeDue(
    requester: SlackProfile,
    task: Task,
    now: number,
    until: number,
  ): Promise<void> {
    if (!task.dueAt) return;
    const settings = await this.options.preferences.current(requester);
    const dueAt = Date.parse(task.dueAt);
    const fireAt = dueAt - settings.beforeMinutes * 60_000;
    if (dueAt > now && fireAt < until) {
      await this.options.ledger.settle(dueKey(requester.id, task.gid, task.dueAt), requester.id);
    }
  }

  /**
   * Rewrites the reminder in place. Edits to one message run one after another on the latest blocks,
   * not on each click's copy, so completing two tasks in quick succession keeps both outcomes.
   */
  private edit(message: ReminderMessageRef, change: (blocks: KnownBlock[]) => KnownBlock[]): Promise<void> {
    const key = `${message.channel}/${message.ts}`;
    const previous = this.edits.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      const blocks = change(this.latestBlocks.get(key) ?? message.blocks);
      await this.options.poster.update(message.channel, message.ts, message.text, blocks);
      if (this.latestBlocks.size >= MAX_REMEMBERED_MESSAGES) this.latestBlocks.clear();
      this.latestBlocks.set(key, blocks);
    });
    const settled = next.catch(() => undefined);
    this.edits.set(key, settled);
    void settled.then(() => {
      if (this.edits.get(key) === settled) this.edits.delete(key);
    });
    return next;
  }
}

/**
 * The due date one day later, on the person's calendar: a due time keeps its wall-clock time across a
 * DST change (3 PM stays 3 PM), a date moves a day, and a task without a due date becomes due tomorrow.
 */
function pushedDue(task: Task, zone: string, now: number): TaskChanges {
  if (task.dueAt) {
    const later = DateTime.fromISO(task.dueAt, { zone }).plus({ days: 1 });
    return { dueAt: later.toUTC().toISO() as string, dueOn: null };
  }
  const base = task.dueOn ?? localDate(now, zone);
  return { dueOn: addDays(base, 1), dueAt: null };
}

function clockTime(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).setLocale('en-US').toFormat('h:mm a');
}
