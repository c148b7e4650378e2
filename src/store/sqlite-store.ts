import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
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

export interface SqliteStoreOptions {
  dataDir: string;
  /** Defaults to 'bridge.sqlite'. */
  fileName?: string;
  /** The clock `claim` reads; tests inject one to step past expiry. */
  now?: () => Date;
}

const DEFAULT_FILE_NAME = 'bridge.sqlite';

/**
 * How long a write waits for another connection's write lock before failing. Writes here are single
 * rows, so anything near this long means a stuck process, not contention; and listeners claim keys
 * before they acknowledge Slack, so it stays well under Slack's 3 s.
 */
const BUSY_TIMEOUT_MS = 1000;

interface ChannelDefaultRow {
  channel_id: string;
  project_gid: string;
  project_name: string;
  section_gid: string | null;
  set_by: string;
  set_at: string;
}

interface UserLinkRow {
  slack_user_id: string;
  asana_user_gid: string | null;
  email: string | null;
  checked_at: string;
}

interface MessageTaskRow {
  channel_id: string;
  message_ts: string;
  task_gid: string;
  created_by: string;
  created_at: string;
}

interface ReminderSettingsRow {
  slack_user_id: string;
  enabled: number;
  time: string;
  before_minutes: number;
  time_zone: string | null;
  opted_in_at: string;
  updated_at: string;
}

/** The Store on one SQLite file in WAL mode; several processes may share the file. */
export class SqliteStore implements Store {
  private readonly statements: Statements;

  private constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.statements = prepareStatements(db);
  }

  /**
   * Opens (creating if needed) `<dataDir>/<fileName>` and migrates it. Throws an Error naming the path
   * when the directory cannot be created, the file cannot be opened, or its schema is newer than this
   * build.
   */
  static open(options: SqliteStoreOptions): SqliteStore {
    const dataDir = path.resolve(options.dataDir);
    const file = path.join(dataDir, options.fileName ?? DEFAULT_FILE_NAME);
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (error) {
      throw new Error(`Cannot create data directory ${dataDir}: ${messageOf(error)}`, { cause: error });
    }

    let db: Database.Database;
    try {
      db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
      // WAL lets readers carry on while one connection writes, and is recorded in the file, so every
      // later connection gets it too. synchronous stays at SQLite's default (FULL): a sent-reminder
      // record lost to a power cut would mean sending that reminder twice.
      db.pragma('journal_mode = WAL');
    } catch (error) {
      throw new Error(`Cannot open SQLite database ${file}: ${messageOf(error)}`, { cause: error });
    }

    try {
      migrate(db);
      return new SqliteStore(db, options.now ?? (() => new Date()));
    } catch (error) {
      db.close();
      // The refusal of a newer schema already names the file; other failures need the path added.
      if (error instanceof Error && error.message.includes(file)) throw error;
      throw new Error(`Cannot prepare SQLite database ${file}: ${messageOf(error)}`, { cause: error });
    }
  }

  async getChannelDefault(channelId: string): Promise<ChannelDefault | undefined> {
    const row = this.statements.getChannelDefault.get(channelId);
    if (!row) return undefined;
    const value: ChannelDefault = {
      channelId: row.channel_id,
      projectGid: row.project_gid,
      projectName: row.project_name,
      setBy: row.set_by,
      setAt: row.set_at,
    };
    if (row.section_gid !== null) value.sectionGid = row.section_gid;
    return value;
  }

  async setChannelDefault(value: ChannelDefault): Promise<void> {
    this.statements.setChannelDefault.run({
      channel_id: value.channelId,
      project_gid: value.projectGid,
      project_name: value.projectName,
      section_gid: value.sectionGid ?? null,
      set_by: value.setBy,
      set_at: value.setAt,
    });
  }

  async clearChannelDefault(channelId: string): Promise<boolean> {
    return this.statements.clearChannelDefault.run(channelId).changes > 0;
  }

  async getUserLink(slackUserId: string): Promise<UserLink | undefined> {
    const row = this.statements.getUserLink.get(slackUserId);
    if (!row) return undefined;
    return {
      slackUserId: row.slack_user_id,
      asanaUserGid: row.asana_user_gid,
      email: row.email,
      checkedAt: row.checked_at,
    };
  }

  async setUserLink(link: UserLink): Promise<void> {
    this.statements.setUserLink.run({
      slack_user_id: link.slackUserId,
      asana_user_gid: link.asanaUserGid,
      email: link.email,
      checked_at: link.checkedAt,
    });
  }

  async addMessageTask(link: MessageTaskLink): Promise<void> {
    this.statements.addMessageTask.run({
      channel_id: link.channelId,
      message_ts: link.messageTs,
      task_gid: link.taskGid,
      created_by: link.createdBy,
      created_at: link.createdAt,
    });
  }

  async tasksForMessage(channelId: string, messageTs: string): Promise<MessageTaskLink[]> {
    return this.statements.tasksForMessage.all(channelId, messageTs).map((row) => ({
      channelId: row.channel_id,
      messageTs: row.message_ts,
      taskGid: row.task_gid,
      createdBy: row.created_by,
      createdAt: row.created_at,
    }));
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.now();
    const expiresAt = claimExpiresAt(now, ttlSeconds);
    return this.statements.claim.run({ key, expires_at_ms: expiresAt, now_ms: now.getTime() }).changes === 1;
  }

  async release(key: string): Promise<void> {
    this.statements.release.run(key);
  }

  async getReminderSettings(slackUserId: string): Promise<ReminderSettings | undefined> {
    const row = this.statements.getReminderSettings.get(slackUserId);
    return row ? reminderSettingsFromRow(row) : undefined;
  }

  async saveReminderSettings(settings: ReminderSettings): Promise<void> {
    assertReminderSettings(settings);
    this.statements.saveReminderSettings.run({
      slack_user_id: settings.slackUserId,
      enabled: settings.enabled ? 1 : 0,
      time: settings.time,
      before_minutes: settings.beforeMinutes,
      time_zone: settings.timeZone,
      opted_in_at: settings.optedInAt,
      updated_at: settings.updatedAt,
    });
  }

  async listReminderSettings(): Promise<ReminderSettings[]> {
    return this.statements.listReminderSettings.all().map(reminderSettingsFromRow);
  }

  async recordReminder(key: string, slackUserId: string, sentAt: string): Promise<boolean> {
    const sentAtMs = sentAtMillis(sentAt);
    return this.statements.recordReminder.run(key, slackUserId, sentAt, sentAtMs).changes === 1;
  }

  async hasReminder(key: string): Promise<boolean> {
    return this.statements.hasReminder.get(key) !== undefined;
  }

  async saveDraft(id: string, draft: Draft, ttlSeconds: number): Promise<void> {
    const expiresAt = claimExpiresAt(this.now(), ttlSeconds);
    this.statements.saveDraft.run({ id, raw: draft.raw, plain: draft.plain, expires_at_ms: expiresAt });
  }

  async loadDraft(id: string): Promise<Draft | undefined> {
    const row = this.statements.loadDraft.get(id, this.now().getTime());
    return row ? { raw: row.raw, plain: row.plain } : undefined;
  }

  async deleteDraft(id: string): Promise<void> {
    this.statements.deleteDraft.run(id);
  }

  async purgeExpired(now: Date): Promise<void> {
    this.statements.purge(now.getTime());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

type Statements = ReturnType<typeof prepareStatements>;

/** Every statement the store runs, compiled once when the store opens. */
function prepareStatements(db: Database.Database) {
  const purgeClaims = db.prepare<[number]>('DELETE FROM claims WHERE expires_at_ms <= ?');
  const purgeDrafts = db.prepare<[number]>('DELETE FROM drafts WHERE expires_at_ms <= ?');
  const purgeReminders = db.prepare<[number]>('DELETE FROM reminders_sent WHERE sent_at_ms < ?');

  return {
    getChannelDefault: db.prepare<[string], ChannelDefaultRow>(
      'SELECT * FROM channel_defaults WHERE channel_id = ?',
    ),
    setChannelDefault: db.prepare<ChannelDefaultRow>(
      `INSERT INTO channel_defaults (channel_id, project_gid, project_name, section_gid, set_by, set_at)
       VALUES (@channel_id, @project_gid, @project_name, @section_gid, @set_by, @set_at)
       ON CONFLICT (channel_id) DO UPDATE SET
         project_gid = excluded.project_gid, project_name = excluded.project_name,
         section_gid = excluded.section_gid, set_by = excluded.set_by, set_at = excluded.set_at`,
    ),
    clearChannelDefault: db.prepare<[string]>('DELETE FROM channel_defaults WHERE channel_id = ?'),

    getUserLink: db.prepare<[string], UserLinkRow>('SELECT * FROM user_links WHERE slack_user_id = ?'),
    setUserLink: db.prepare<UserLinkRow>(
      `INSERT INTO user_links (slack_user_id, asana_user_gid, email, checked_at)
       VALUES (@slack_user_id, @asana_user_gid, @email, @checked_at)
       ON CONFLICT (slack_user_id) DO UPDATE SET
         asana_user_gid = excluded.asana_user_gid, email = excluded.email, checked_at = excluded.checked_at`,
    ),

    addMessageTask: db.prepare<MessageTaskRow>(
      `INSERT INTO message_tasks (channel_id, message_ts, task_gid, created_by, created_at)
       VALUES (@channel_id, @message_ts, @task_gid, @created_by, @created_at)
       ON CONFLICT (channel_id, message_ts, task_gid) DO NOTHING`,
    ),
    tasksForMessage: db.prepare<[string, string], MessageTaskRow>(
      `SELECT channel_id, message_ts, task_gid, created_by, created_at FROM message_tasks
       WHERE channel_id = ? AND message_ts = ? ORDER BY id`,
    ),

    // One statement, so SQLite's write lock makes it atomic across connections: a new key is inserted;
    // an existing key is taken over only if it has expired. `changes` is 1 exactly when we got it.
    claim: db.prepare<{ key: string; expires_at_ms: number; now_ms: number }>(
      `INSERT INTO claims (key, expires_at_ms) VALUES (@key, @expires_at_ms)
       ON CONFLICT (key) DO UPDATE SET expires_at_ms = excluded.expires_at_ms
       WHERE claims.expires_at_ms <= @now_ms`,
    ),
    release: db.prepare<[string]>('DELETE FROM claims WHERE key = ?'),
    saveDraft: db.prepare<{ id: string; raw: string; plain: string; expires_at_ms: number }>(
      `INSERT INTO drafts (id, raw, plain, expires_at_ms) VALUES (@id, @raw, @plain, @expires_at_ms)
       ON CONFLICT (id) DO UPDATE SET raw = excluded.raw, plain = excluded.plain, expires_at_ms = excluded.expires_at_ms`,
    ),
    loadDraft: db.prepare<[string, number], { raw: string; plain: string }>(
      'SELECT raw, plain FROM drafts WHERE id = ? AND expires_at_ms > ?',
    ),
    deleteDraft: db.prepare<[string]>('DELETE FROM drafts WHERE id = ?'),

    getReminderSettings: db.prepare<[string], ReminderSettingsRow>(
      'SELECT * FROM reminder_settings WHERE slack_user_id = ?',
    ),
    saveReminderSettings: db.prepare<ReminderSettingsRow>(
      `INSERT INTO reminder_settings
         (slack_user_id, enabled, time, before_minutes, time_zone, opted_in_at, updated_at)
       VALUES (@slack_user_id, @enabled, @time, @before_minutes, @time_zone, @opted_in_at, @updated_at)
       ON CONFLICT (slack_user_id) DO UPDATE SET
         enabled = excluded.enabled, time = excluded.time, before_minutes = excluded.before_minutes,
         time_zone = excluded.time_zone, opted_in_at = excluded.opted_in_at, updated_at = excluded.updated_at`,
    ),
    listReminderSettings: db.prepare<[], ReminderSettingsRow>(
      'SELECT * FROM reminder_settings ORDER BY slack_user_id',
    ),
    recordReminder: db.prepare<[string, string, string, number]>(
      `INSERT INTO reminders_sent (key, slack_user_id, sent_at, sent_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    ),
    hasReminder: db.prepare<[string], number>('SELECT 1 FROM reminders_sent WHERE key = ?').pluck(),

    purge: db.transaction((nowMs: number) => {
      purgeClaims.run(nowMs);
      purgeDrafts.run(nowMs);
      purgeReminders.run(nowMs - REMINDER_RECORD_RETENTION_MS);
    }),
  };
}

function reminderSettingsFromRow(row: ReminderSettingsRow): ReminderSettings {
  return {
    slackUserId: row.slack_user_id,
    enabled: row.enabled === 1,
    time: row.time,
    beforeMinutes: row.before_minutes,
    timeZone: row.time_zone,
    optedInAt: row.opted_in_at,
    updatedAt: row.updated_at,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
