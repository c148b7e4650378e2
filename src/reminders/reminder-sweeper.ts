import type { Logger } from 'winston';
import {
  MAX_TASKS_PER_REMINDER,
  beforeDueMessage,
  dailyReminderMessage,
  groupReminderTasks,
} from '../blocks/reminder-message';
import type { Clock } from '../clock';
import type { Task } from '../services/asana/types';
import type { ReminderSettings, Store } from '../store/store';
import type { ReminderLedger } from './reminder-ledger';
import { type BeforeDue, type TaskSnapshot, isFresh, planReminders } from './reminder-plan';
import type { ReminderPoster } from './reminder-poster';
import type { ReminderReader } from './reminder-reader';

/** Tuning of the sweep; the defaults suit one bridge serving up to a few thousand people. */
export interface SweepTuning {
  /** How long before a reminder its tasks may be read, so a crowded 09:00 is read from 08:45 on. */
  lookaheadMinutes: number;
  /**
   * How often each person's open tasks are re-read between daily DMs, to notice new due times for the
   * before-due reminder; 0 turns re-reading off (before-due then relies on the daily read).
   */
  refreshMinutes: number;
  /** People whose tasks are read at once; the pacer sets the rate, this only bounds memory and sockets. */
  readConcurrency: number;
  /** DMs posted at once. */
  sendConcurrency: number;
}

export const defaultSweepTuning: SweepTuning = {
  lookaheadMinutes: 15,
  refreshMinutes: 60,
  readConcurrency: 4,
  sendConcurrency: 8,
};

/** A before-due reminder this close after the daily DM that lists the task is folded into the DM. */
const FOLD_INTO_DAILY_MS = 5 * 60_000;
/** After a failed read, wait this long (doubling, up to the cap) before reading that person again. */
const READ_RETRY_MS = 60_000;
const READ_RETRY_MAX_MS = 30 * 60_000;
/** Someone who cannot get reminders (unmapped, a bot, deactivated) is looked at again after this. */
const INELIGIBLE_RECHECK_MS = 60 * 60_000;
const PURGE_EVERY_MS = 60 * 60_000;

/** Why a person's tasks are wanted: lower ranks are read first. */
enum ReadRank {
  DueNow = 0,
  Soon = 1,
  Refresh = 2,
}

interface PersonState {
  snapshot?: TaskSnapshot;
  /** Not read again before this (epoch ms): ineligible, unmapped, or recent read failures. */
  holdUntil?: number;
  failures: number;
}

interface WantedRead {
  rank: ReadRank;
  deadline: number;
}

export interface ReminderSweeperOptions {
  store: Store;
  reader: ReminderReader;
  ledger: ReminderLedger;
  poster: ReminderPoster;
  clock: Clock;
  logger: Logger;
  tuning: SweepTuning;
}

/**
 * Decides every minute what is due for whom and sends it, reading Asana ahead of time.
 *
 * Each tick is cheap and bounded: it lists the settings (one store query), plans each person in memory,
 * sends what is due from tasks already read, and queues reads for the rest. A read queue outside the
 * tick works through people in order of urgency (due now, due within the lookahead, periodic refresh),
 * each request waiting for the pacer, and sends as soon as a person's read lands. Ticks never overlap:
 * a tick that finds the previous one still running waits for it instead of starting another.
 */
export class ReminderSweeper {
  private readonly people = new Map<string, PersonState>();
  private readonly wanted = new Map<string, WantedRead>();
  private readonly reading = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly delivering = new Map<string, Promise<void>>();
  private readonly lookaheadMs: number;
  private readonly refreshMs: number;
  private readonly startedAt: number;
  private ticking: Promise<void> | undefined;
  private stopping = false;
  private lastPurge = 0;
  private readonly logger: Logger;

  constructor(private readonly options: ReminderSweeperOptions) {
    this.lookaheadMs = options.tuning.lookaheadMinutes * 60_000;
    this.refreshMs = options.tuning.refreshMinutes * 60_000;
    this.startedAt = options.clock.now();
    this.logger = options.logger.child({ component: 'reminders' });
  }

  /** One sweep. Resolves when its sends are done; the reads it queued continue (see `idle`). */
  tick(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (!this.ticking) {
      this.ticking = this.sweep().finally(() => {
        this.ticking = undefined;
      });
    }
    return this.ticking;
  }

  /** Resolves once no tick, read or send is running and nothing is queued. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.ticking) await this.ticking;
      const busy = [...this.inFlight, ...this.delivering.values()];
      if (busy.length === 0) return;
      await Promise.allSettled(busy);
    }
  }

  /** Stops taking new work, drops queued reads, and waits for what is in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wanted.clear();
    await this.idle();
  }

  /** Forgets a task in the person's snapshot after it was completed from Slack, so no reminder follows. */
  forgetTask(slackUserId: string, taskGid: string): void {
    const snapshot = this.people.get(slackUserId)?.snapshot;
    if (snapshot) snapshot.tasks = snapshot.tasks.filter((t) => t.gid !== taskGid);
  }

  /** Puts a changed task into the person's snapshot (a pushed due date), so reminders follow the change. */
  updateTask(slackUserId: string, task: Task): void {
    const snapshot = this.people.get(slackUserId)?.snapshot;
    if (snapshot) snapshot.tasks = [...snapshot.tasks.filter((t) => t.gid !== task.gid), task];
  }

  private async sweep(): Promise<void> {
    const now = this.options.clock.now();
    await this.purgeNowAndThen(now);
    const all = await this.options.store.listReminderSettings();
    const sendNow: string[] = [];
    let refreshRoom = this.refreshRoom();

    for (const settings of all) {
      const user = settings.slackUserId;
      if (!settings.enabled) {
        this.people.delete(user);
        continue;
      }
      const state = this.stateOf(user);
      if (state.holdUntil !== undefined && state.holdUntil > now) continue;

      const plan = planReminders(settings, state.snapshot, now);
      const pending = await this.pendingKeys(plan.daily?.key, plan.beforeDue);
      if (pending) {
        if (isFresh(state.snapshot, now, now, this.lookaheadMs)) sendNow.push(user);
        else this.want(user, ReadRank.DueNow, now);
      } else if (plan.nextAt - now <= this.lookaheadMs) {
        if (!isFresh(state.snapshot, plan.nextAt, now, this.lookaheadMs))
          this.want(user, ReadRank.Soon, plan.nextAt);
      } else if (refreshRoom > 0 && this.needsRefresh(settings, state, plan.nextAt, now)) {
        refreshRoom -= 1;
        this.want(user, ReadRank.Refresh, state.snapshot?.fetchedAt ?? 0);
      }
    }

    await forEachLimited(sendNow, this.options.tuning.sendConcurrency, (user) => this.deliver(user));
  }

  /** Whether anything in the plan is due and not yet settled. */
  private async pendingKeys(dailyKey: string | undefined, beforeDue: BeforeDue[]): Promise<boolean> {
    if (dailyKey && !(await this.options.ledger.isDone(dailyKey))) return true;
    for (const item of beforeDue) if (!(await this.options.ledger.isDone(item.key))) return true;
    return false;
  }

  /**
   * Periodic re-reads, so a due time set during the day still gets its before-due reminder. A person
   * never read is counted from start-up (spread over the interval, so a restart does not re-read
   * everyone at once) or from when they opted in. Tasks are thus never older than about one and a half
   * intervals.
   */
  private needsRefresh(settings: ReminderSettings, state: PersonState, nextAt: number, now: number): boolean {
    if (this.refreshMs <= 0 || settings.beforeMinutes <= 0) return false;
    // The read ahead of the next reminder is coming soon anyway; reading now would only read twice.
    if (nextAt - this.lookaheadMs - now <= this.refreshMs / 2) return false;
    const optedInAt = Date.parse(settings.optedInAt) || 0;
    const since =
      state.snapshot?.fetchedAt ??
      Math.max(optedInAt, this.startedAt - (hashOf(settings.slackUserId) % this.refreshMs));
    return now - since >= this.refreshMs;
  }

  /** Refreshes queued per tick: a quarter of what the pacer allows in a minute, so they never crowd out reminders. */
  private refreshRoom(): number {
    const queued = [...this.wanted.values()].filter((w) => w.rank === ReadRank.Refresh).length;
    return Math.max(0, Math.floor(this.options.reader.requestsPerMinute / 4) - queued);
  }

  private want(user: string, rank: ReadRank, deadline: number): void {
    if (this.stopping || this.reading.has(user)) return;
    const current = this.wanted.get(user);
    if (!current || rank < current.rank || (rank === current.rank && deadline < current.deadline)) {
      this.wanted.set(user, { rank, deadline });
    }
    this.pump();
  }

  /** Starts queued reads, most urgent first, while there is room. */
  private pump(): void {
    while (
      !this.stopping &&
      this.reading.size < this.options.tuning.readConcurrency &&
      this.wanted.size > 0
    ) {
      let best: [string, WantedRead] | undefined;
      for (const entry of this.wanted) {
        const [, w] = entry;
        if (!best || w.rank < best[1].rank || (w.rank === best[1].rank && w.deadline < best[1].deadline)) {
          best = entry;
        }
      }
      if (!best) return;
      const [user] = best;
      this.wanted.delete(user);
      this.reading.add(user);
      const job = this.readAndDeliver(user).finally(() => {
        this.reading.delete(user);
        this.inFlight.delete(job);
        this.pump();
      });
      this.inFlight.add(job);
    }
  }

  /** Reads one person (profile, Asana user, open tasks) and sends whatever is due by then. */
  private async readAndDeliver(user: string): Promise<void> {
    const { clock, store, reader } = this.options;
    const state = this.stateOf(user);
    try {
      const settings = await store.getReminderSettings(user);
      if (!settings?.enabled) return;
      const profile = await reader.profile(user);
      const why = reader.ineligibility(profile);
      if (why) {
        state.holdUntil = clock.now() + INELIGIBLE_RECHECK_MS;
        this.logger.debug('no reminders for this person', { user, reason: why });
        return;
      }
      if (profile.timeZone !== settings.timeZone) {
        // Slack is the source of the zone; a person who travelled gets reminders at their new 09:00.
        await store.saveReminderSettings({ ...settings, timeZone: profile.timeZone });
        this.logger.info('reminder time zone updated', { user, timeZone: profile.timeZone });
      }
      const asanaUser = await reader.asanaUser(profile, this.wanted.keys());
      if (!asanaUser) {
        state.holdUntil = clock.now() + INELIGIBLE_RECHECK_MS;
        this.logger.debug('no reminders for this person', { user, reason: 'no Asana account' });
        return;
      }
      state.snapshot = await reader.snapshot(asanaUser);
      state.failures = 0;
      state.holdUntil = undefined;
    } catch (error) {
      state.failures += 1;
      state.holdUntil = clock.now() + Math.min(READ_RETRY_MAX_MS, READ_RETRY_MS * 2 ** (state.failures - 1));
      this.logger.warn('could not read tasks for reminders', {
        user,
        code: (error as { code?: string }).code,
        reason: (error as Error).message,
        failures: state.failures,
      });
      return;
    }
    await this.deliver(user);
  }

  /** Sends what is due for one person from their snapshot; one delivery per person at a time. */
  private deliver(user: string): Promise<void> {
    const running = this.delivering.get(user);
    if (running) return running;
    const job = this.deliverNow(user)
      .catch((error) => {
        this.logger.error('reminder delivery failed', { user, reason: (error as Error).message, error });
      })
      .finally(() => this.delivering.delete(user));
    this.delivering.set(user, job);
    return job;
  }

  private async deliverNow(user: string): Promise<void> {
    const { store, ledger, poster, clock, reader } = this.options;
    const snapshot = this.people.get(user)?.snapshot;
    const settings = await store.getReminderSettings(user);
    if (!snapshot || !settings?.enabled || this.stopping || poster.paused) return;
    const now = clock.now();
    const plan = planReminders(settings, snapshot, now);
    const render = { timeZone: plan.zone, now: new Date(now) };

    if (plan.daily && !(await ledger.isDone(plan.daily.key))) {
      const groups = groupReminderTasks(snapshot.tasks, render);
      const listed = [...groups.overdue, ...groups.today, ...groups.tomorrow];
      if (listed.length === 0) {
        // Nothing due: no DM, and the day is settled so later sweeps do not read for it again.
        await ledger.settle(plan.daily.key, user);
      } else {
        const allTasksUrl =
          listed.length > MAX_TASKS_PER_REMINDER ? await reader.myTasksUrl(snapshot.asanaUserGid) : undefined;
        const message = dailyReminderMessage({
          groups,
          options: render,
          reminderTime: settings.time,
          allTasksUrl,
        });
        const outcome = await ledger.sendOnce([plan.daily.key], user, plan.daily.relevantUntil, async () => {
          await poster.postToUser(user, message);
        });
        this.logger.info('daily reminder', { user, outcome, tasks: listed.length, date: plan.daily.date });
        if (outcome === 'sent') await this.foldIntoDaily(user, plan.beforeDue, listed, now);
      }
    }

    const before: BeforeDue[] = [];
    for (const item of plan.beforeDue) if (!(await ledger.isDone(item.key))) before.push(item);
    if (before.length === 0 || this.stopping) return;
    const relevantUntil = Math.max(...before.map((b) => b.dueAt));
    const outcome = await ledger.sendOnce(
      before.map((b) => b.key),
      user,
      relevantUntil,
      async (owned) => {
        const tasks = before.filter((b) => owned.includes(b.key)).map((b) => b.task);
        await poster.postToUser(user, beforeDueMessage(tasks, render));
      },
    );
    this.logger.info('before-due reminder', { user, outcome, tasks: before.length });
  }

  /**
   * Before-due reminders that would follow the daily DM within minutes, for tasks it lists, are
   * settled with it: one DM instead of two in a row about the same task.
   */
  private async foldIntoDaily(user: string, due: BeforeDue[], listed: Task[], now: number): Promise<void> {
    const settings = await this.options.store.getReminderSettings(user);
    const snapshot = this.people.get(user)?.snapshot;
    if (!settings || !snapshot) return;
    const soon = planReminders(settings, snapshot, now + FOLD_INTO_DAILY_MS).beforeDue;
    const ids = new Set(listed.map((t) => t.gid));
    for (const item of [...due, ...soon]) {
      if (ids.has(item.task.gid) && item.dueAt > now) await this.options.ledger.settle(item.key, user);
    }
  }

  private stateOf(user: string): PersonState {
    let state = this.people.get(user);
    if (!state) {
      state = { failures: 0 };
      this.people.set(user, state);
    }
    return state;
  }

  /** Old claims and month-old reminder records are dropped hourly, so the store does not grow forever. */
  private async purgeNowAndThen(now: number): Promise<void> {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.options.store
      .purgeExpired(new Date(now))
      .catch((error) =>
        this.logger.warn('could not purge old reminder records', { reason: (error as Error).message }),
      );
  }
}

/** Runs `fn` over the items with at most `limit` at once. */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A stable small number per person, to spread their first refresh over the interval. */
function hashOf(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  return hash;
}
