import {
  assertReminderSettings,
  ChannelDefault,
  Draft,
  claimExpiresAt,
  MessageTaskLink,
  REMINDER_RECORD_RETENTION_MS,
  ReminderSettings,
  sentAtMillis,
  Store,
  UserLink,
} from './store';

export interface MemoryStoreOptions {
  /** The clock `claim` reads; tests inject one to step past expiry. */
  now?: () => Date;
}

interface SentReminder {
  slackUserId: string;
  sentAt: string;
  sentAtMs: number;
}

/**
 * The Store in process memory, for unit tests of the modules that use a store. Same contract as
 * SqliteStore (one test suite runs against both); records are copied in and out so a caller mutating
 * a result cannot change what the store holds, as with a real database.
 */
export class MemoryStore implements Store {
  private readonly now: () => Date;
  private readonly channelDefaults = new Map<string, ChannelDefault>();
  private readonly userLinks = new Map<string, UserLink>();
  /** Keyed by channel and message; each list in insertion order. */
  private readonly messageTasks = new Map<string, MessageTaskLink[]>();
  /** Key to expiry in epoch milliseconds. */
  private readonly claims = new Map<string, number>();
  private readonly reminderSettings = new Map<string, ReminderSettings>();
  private readonly sentReminders = new Map<string, SentReminder>();
  private readonly drafts = new Map<string, { draft: Draft; expiresAt: number }>();
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async getChannelDefault(channelId: string): Promise<ChannelDefault | undefined> {
    this.assertOpen();
    const value = this.channelDefaults.get(channelId);
    return value && withoutUndefined({ ...value });
  }

  async setChannelDefault(value: ChannelDefault): Promise<void> {
    this.assertOpen();
    this.channelDefaults.set(value.channelId, withoutUndefined({ ...value }));
  }

  async clearChannelDefault(channelId: string): Promise<boolean> {
    this.assertOpen();
    return this.channelDefaults.delete(channelId);
  }

  async getUserLink(slackUserId: string): Promise<UserLink | undefined> {
    this.assertOpen();
    const link = this.userLinks.get(slackUserId);
    return link && { ...link };
  }

  async setUserLink(link: UserLink): Promise<void> {
    this.assertOpen();
    this.userLinks.set(link.slackUserId, { ...link });
  }

  async addMessageTask(link: MessageTaskLink): Promise<void> {
    this.assertOpen();
    const key = messageKey(link.channelId, link.messageTs);
    const links = this.messageTasks.get(key) ?? [];
    if (links.some((existing) => existing.taskGid === link.taskGid)) return;
    links.push({ ...link });
    this.messageTasks.set(key, links);
  }

  async tasksForMessage(channelId: string, messageTs: string): Promise<MessageTaskLink[]> {
    this.assertOpen();
    return (this.messageTasks.get(messageKey(channelId, messageTs)) ?? []).map((link) => ({ ...link }));
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    this.assertOpen();
    const now = this.now();
    const expiresAt = claimExpiresAt(now, ttlSeconds);
    const held = this.claims.get(key);
    if (held !== undefined && held > now.getTime()) return false;
    this.claims.set(key, expiresAt);
    return true;
  }

  async release(key: string): Promise<void> {
    this.assertOpen();
    this.claims.delete(key);
  }

  async getReminderSettings(slackUserId: string): Promise<ReminderSettings | undefined> {
    this.assertOpen();
    const settings = this.reminderSettings.get(slackUserId);
    return settings && { ...settings };
  }

  async saveReminderSettings(settings: ReminderSettings): Promise<void> {
    this.assertOpen();
    assertReminderSettings(settings);
    this.reminderSettings.set(settings.slackUserId, { ...settings });
  }

  async listReminderSettings(): Promise<ReminderSettings[]> {
    this.assertOpen();
    // Code-unit order, which is what SQLite's default BINARY collation gives the other implementation.
    return [...this.reminderSettings.values()]
      .sort((a, b) => (a.slackUserId < b.slackUserId ? -1 : a.slackUserId > b.slackUserId ? 1 : 0))
      .map((settings) => ({ ...settings }));
  }

  async recordReminder(key: string, slackUserId: string, sentAt: string): Promise<boolean> {
    this.assertOpen();
    const sentAtMs = sentAtMillis(sentAt);
    if (this.sentReminders.has(key)) return false;
    this.sentReminders.set(key, { slackUserId, sentAt, sentAtMs });
    return true;
  }

  async hasReminder(key: string): Promise<boolean> {
    this.assertOpen();
    return this.sentReminders.has(key);
  }

  async saveDraft(id: string, draft: Draft, ttlSeconds: number): Promise<void> {
    this.assertOpen();
    this.drafts.set(id, { draft: { ...draft }, expiresAt: claimExpiresAt(this.now(), ttlSeconds) });
  }

  async loadDraft(id: string): Promise<Draft | undefined> {
    this.assertOpen();
    const entry = this.drafts.get(id);
    return entry && entry.expiresAt > this.now().getTime() ? { ...entry.draft } : undefined;
  }

  async deleteDraft(id: string): Promise<void> {
    this.assertOpen();
    this.drafts.delete(id);
  }

  async purgeExpired(now: Date): Promise<void> {
    this.assertOpen();
    const nowMs = now.getTime();
    for (const [id, entry] of this.drafts) {
      if (entry.expiresAt <= nowMs) this.drafts.delete(id);
    }
    for (const [key, expiresAt] of this.claims) {
      if (expiresAt <= nowMs) this.claims.delete(key);
    }
    const oldestKept = nowMs - REMINDER_RECORD_RETENTION_MS;
    for (const [key, record] of this.sentReminders) {
      if (record.sentAtMs < oldestKept) this.sentReminders.delete(key);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** A closed SqliteStore throws on use; matching that keeps use-after-close bugs visible in unit tests. */
  private assertOpen(): void {
    if (this.closed) throw new Error('MemoryStore is closed');
  }
}

function messageKey(channelId: string, messageTs: string): string {
  return `${channelId}\u0000${messageTs}`;
}

/** A database has no "present but undefined" column, so neither does this store. */
function withoutUndefined(value: ChannelDefault): ChannelDefault {
  if (value.sectionGid === undefined) delete value.sectionGid;
  return value;
}
