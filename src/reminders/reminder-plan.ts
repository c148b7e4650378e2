import type { Task } from '../services/asana/types';
import type { ReminderSettings } from '../store/store';
import { addDays, localDate, safeZone, wallClockInstant } from './local-time';
import { dailyKey, dueKey } from './reminder-ledger';

/** What the sweep last read of one person's open tasks. */
export interface TaskSnapshot {
  /** When the read started (epoch ms): anything changed in Asana after this may be missing. */
  fetchedAt: number;
  asanaUserGid: string;
  /** Open tasks with a due date soon enough to matter before the next read. */
  tasks: Task[];
}

/** Today's daily DM, once its time has come. */
export interface DailyDue {
  key: string;
  /** The person's local calendar date it is for. */
  date: string;
  at: number;
  /** The start of the person's next local day: after it this DM is never sent. */
  relevantUntil: number;
}

/** A task whose before-due reminder should go now. */
export interface BeforeDue {
  key: string;
  task: Task;
  fireAt: number;
  dueAt: number;
}

export interface ReminderPlan {
  zone: string;
  daily?: DailyDue;
  beforeDue: BeforeDue[];
  /** The next instant after `now` at which something may be due; the sweep reads ahead of it. */
  nextAt: number;
}

/**
 * What is due for one person at `now`, from their settings and the last snapshot of their tasks.
 * Pure, so the rules can be tested minute by minute across DST changes:
 * - the daily DM for the person's local today is due once its wall-clock time has come, until the
 *   local day ends (a process that was down at 09:00 sends at start-up the same day, never later);
 * - it is not due on the day the person opted in if they did so after that day's reminder time, so
 *   turning reminders on at 15:00 does not produce a DM a minute later;
 * - a before-due reminder is due from `beforeMinutes` ahead of a task's due time until that due time.
 * Whether a due reminder was already sent is the ledger's business, not the plan's.
 */
export function planReminders(
  settings: ReminderSettings,
  snapshot: TaskSnapshot | undefined,
  now: number,
): ReminderPlan {
  const zone = safeZone(settings.timeZone);
  const today = localDate(now, zone);
  const todayAt = wallClockInstant(today, settings.time, zone);
  const tomorrow = addDays(today, 1);
  const optedInAt = Date.parse(settings.optedInAt);

  let daily: DailyDue | undefined;
  let nextAt: number;
  if (todayAt <= now) {
    if (!(optedInAt > todayAt)) {
      daily = {
        key: dailyKey(settings.slackUserId, today),
        date: today,
        at: todayAt,
        relevantUntil: wallClockInstant(tomorrow, '00:00', zone),
      };
    }
    nextAt = wallClockInstant(tomorrow, settings.time, zone);
  } else {
    nextAt = todayAt;
  }

  const beforeDue: BeforeDue[] = [];
  if (settings.beforeMinutes > 0 && snapshot) {
    for (const task of snapshot.tasks) {
      if (task.completed || !task.dueAt) continue;
      const dueAt = Date.parse(task.dueAt);
      const fireAt = dueAt - settings.beforeMinutes * 60_000;
      if (fireAt <= now && now < dueAt) {
        beforeDue.push({ key: dueKey(settings.slackUserId, task.gid, task.dueAt), task, fireAt, dueAt });
      } else if (fireAt > now && fireAt < nextAt) {
        nextAt = fireAt;
      }
    }
  }
  return { zone, daily, beforeDue, nextAt };
}

/**
 * Whether a snapshot is recent enough to act on at `at` (a due instant, or now): read no earlier than
 * `lookaheadMs` before it. Reading ahead lets a busy sweep spread its requests; bounding how far ahead
 * keeps a reminder from listing a task finished a while before it was sent.
 */
export function isFresh(
  snapshot: TaskSnapshot | undefined,
  at: number,
  now: number,
  lookaheadMs: number,
): boolean {
  return snapshot !== undefined && snapshot.fetchedAt >= Math.max(at, now) - lookaheadMs;
}
