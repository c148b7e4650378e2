/**
 * What the bridge must remember across restarts, behind an interface that says nothing about the
 * database. Every method returns a Promise even where today's SQLite implementation is synchronous, so
 * a server database (Postgres) can implement the same interface later without touching callers.
 * Timestamps are ISO 8601 strings and come back exactly as they were stored.
 */

/** The Asana project (and optionally section) new tasks from a Slack channel go to. */
export interface ChannelDefault {
  channelId: string;
  projectGid: string;
  projectName: string;
  sectionGid?: string;
  setBy: string;
  setAt: string;
}

/** Which Asana user a Slack user is; `asanaUserGid: null` records that we looked and found none. */
export interface UserLink {
  slackUserId: string;
  asanaUserGid: string | null;
  email: string | null;
  checkedAt: string;
}

/** One Asana task made from one Slack message. */
export interface MessageTaskLink {
  channelId: string;
  messageTs: string;
  taskGid: string;
  createdBy: string;
  createdAt: string;
}

/** A Slack user's choice about daily reminders. */
export interface ReminderSettings {
  slackUserId: string;
  enabled: boolean;
  /** 'HH:MM' in the user's own time zone. */
  time: string;
  beforeMinutes: number;
  timeZone: string | null;
  optedInAt: string;
  updatedAt: string;
}

/** A message as a modal prefilled it: Slack's escaped text, and the decoded text shown. */
export interface Draft {
  raw: string;
  plain: string;
}

/** The bridge's persistent state. Implementations: SqliteStore (production), MemoryStore (unit tests). */
export interface Store {
  getChannelDefault(channelId: string): Promise<ChannelDefault | undefined>;
  /** Replaces the whole record, so leaving out `sectionGid` clears a section set earlier. */
  setChannelDefault(value: ChannelDefault): Promise<void>;
  /** Resolves true if the channel had a default to clear. */
  clearChannelDefault(channelId: string): Promise<boolean>;

  getUserLink(slackUserId: string): Promise<UserLink | undefined>;
  setUserLink(link: UserLink): Promise<void>;

  /** Adding the same task to the same message twice keeps one link (Slack redelivers requests). */
  addMessageTask(link: MessageTaskLink): Promise<void>;
  /** The tasks made from one message, in the order they were added. */
  tasksForMessage(channelId: string, messageTs: string): Promise<MessageTaskLink[]>;

  /**
   * Resolves true for exactly one caller while the key lives, across processes sharing the store; a
   * key whose time-to-live has passed can be claimed again. `ttlSeconds` must be positive.
   */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a claim so a failed attempt can be retried before the key would have expired. */
  release(key: string): Promise<void>;

  /** Keeps a draft until `ttlSeconds` pass; an expired draft reads as missing. */
  saveDraft(id: string, draft: Draft, ttlSeconds: number): Promise<void>;
  loadDraft(id: string): Promise<Draft | undefined>;
  deleteDraft(id: string): Promise<void>;

  getReminderSettings(slackUserId: string): Promise<ReminderSettings | undefined>;
  saveReminderSettings(settings: ReminderSettings): Promise<void>;
  /** Every user's settings, enabled and disabled, ordered by Slack user id. */
  listReminderSettings(): Promise<ReminderSettings[]>;
  /**
   * Records that a reminder was sent; resolves false if that key was already recorded, so at most one
   * caller ever sends it. `sentAt` must be a parseable date.
   */
  recordReminder(key: string, slackUserId: string, sentAt: string): Promise<boolean>;
  hasReminder(key: string): Promise<boolean>;

  /** Drops claims whose time-to-live has passed and reminder records sent more than 30 days before `now`. */
  purgeExpired(now: Date): Promise<void>;
  /** Releases the underlying resources; the store must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * How long a sent-reminder record is kept. Reminder keys name a day, so after a month nobody will ask
 * about one again and the table need not grow forever.
 */
export const REMINDER_RECORD_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * When a claim made at `now` stops blocking others, in epoch milliseconds. Shared by the
 * implementations so they reject the same bad input the same way.
 */
export function claimExpiresAt(now: Date, ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`claim ttlSeconds must be a positive number, got ${ttlSeconds}`);
  }
  return now.getTime() + Math.ceil(ttlSeconds * 1000);
}

/**
 * A reminder's send time in epoch milliseconds. Purging compares these numbers rather than the ISO
 * strings, because strings with different UTC offsets do not sort in time order.
 */
export function sentAtMillis(sentAt: string): number {
  const millis = Date.parse(sentAt);
  if (Number.isNaN(millis)) throw new RangeError(`reminder sentAt is not a date: ${JSON.stringify(sentAt)}`);
  return millis;
}

/**
 * Refuses settings the reminder scheduler could not act on. Checked by every implementation so a unit
 * test on MemoryStore fails the same way production would.
 */
export function assertReminderSettings(settings: ReminderSettings): void {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(settings.time)) {
    throw new RangeError(`reminder time must be 'HH:MM' (24-hour), got ${JSON.stringify(settings.time)}`);
  }
  if (!Number.isInteger(settings.beforeMinutes) || settings.beforeMinutes < 0) {
    throw new RangeError(`reminder beforeMinutes must be a whole number >= 0, got ${settings.beforeMinutes}`);
  }
}
