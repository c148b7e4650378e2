import type { Database } from 'better-sqlite3';

/** One schema change. Versions only ever grow; a released migration is never edited, only followed. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * The schema, oldest first. Tables are STRICT so a wrong type is refused rather than stored.
 * Claim expiry and reminder send times are kept as epoch milliseconds next to (or instead of) ISO text
 * because the expiry and purge queries compare them, and ISO strings with different offsets do not
 * compare in time order.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'channel defaults, user links, message tasks, claims',
    up(db) {
      db.exec(`
        CREATE TABLE channel_defaults (
          channel_id TEXT PRIMARY KEY,
          project_gid TEXT NOT NULL,
          project_name TEXT NOT NULL,
          section_gid TEXT,
          set_by TEXT NOT NULL,
          set_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE user_links (
          slack_user_id TEXT PRIMARY KEY,
          asana_user_gid TEXT,
          email TEXT,
          checked_at TEXT NOT NULL
        ) STRICT;

        -- id keeps insertion order; the unique key makes a redelivered link a no-op and serves lookups.
        CREATE TABLE message_tasks (
          id INTEGER PRIMARY KEY,
          channel_id TEXT NOT NULL,
          message_ts TEXT NOT NULL,
          task_gid TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at TEXT NOT NULL,
          UNIQUE (channel_id, message_ts, task_gid)
        ) STRICT;

        CREATE TABLE claims (
          key TEXT PRIMARY KEY,
          expires_at_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX claims_expires_at_ms ON claims (expires_at_ms);
      `);
    },
  },
  {
    version: 2,
    name: 'reminder settings and sent reminders',
    up(db) {
      db.exec(`
        CREATE TABLE reminder_settings (
          slack_user_id TEXT PRIMARY KEY,
          enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
          time TEXT NOT NULL,
          before_minutes INTEGER NOT NULL,
          time_zone TEXT,
          opted_in_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;

        -- The primary key is the exactly-once guard: a second insert of the same key changes nothing.
        CREATE TABLE reminders_sent (
          key TEXT PRIMARY KEY,
          slack_user_id TEXT NOT NULL,
          sent_at TEXT NOT NULL,
          sent_at_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX reminders_sent_sent_at_ms ON reminders_sent (sent_at_ms);
      `);
    },
  },
  {
    version: 3,
    name: 'message drafts behind open modals',
    up(db) {
      db.exec(`
        CREATE TABLE drafts (
          id TEXT PRIMARY KEY,
          raw TEXT NOT NULL,
          plain TEXT NOT NULL,
          expires_at_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX drafts_expires_at_ms ON drafts (expires_at_ms);
      `);
    },
  },
];

/**
 * Brings the database's schema up to date and returns the versions it applied (empty when there was
 * nothing to do). Each migration runs in its own transaction together with its `schema_migrations`
 * row, so a failure leaves the database at the previous version. Refuses a database that records a
 * version this code does not know: it was written by a newer (or different) build, and running on it
 * could silently lose or corrupt data.
 */
export function migrate(db: Database, list: readonly Migration[] = migrations): number[] {
  assertWellFormed(list);
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT
  `);

  const known = new Set(list.map((m) => m.version));
  const highestKnown = list.length > 0 ? list[list.length - 1].version : 0;
  const appliedVersions = () =>
    new Set(db.prepare<[], number>('SELECT version FROM schema_migrations ORDER BY version').pluck().all());
  assertNoUnknownVersions(db, appliedVersions(), known, highestKnown);

  const isApplied = db.prepare<[number], number>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applied: number[] = [];
  for (const migration of list) {
    // IMMEDIATE takes the write lock before the re-check, so when two processes start together on the
    // same file the second waits, then sees the version recorded and skips it.
    const ran = db
      .transaction(() => {
        if (isApplied.get(migration.version) !== undefined) return false;
        migration.up(db);
        record.run(migration.version, migration.name, new Date().toISOString());
        return true;
      })
      .immediate();
    if (ran) applied.push(migration.version);
  }
  return applied;
}

function assertWellFormed(list: readonly Migration[]): void {
  let previous = 0;
  for (const migration of list) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(
        `Migration list is out of order: version ${migration.version} ('${migration.name}') must be an ` +
          `integer above ${previous}`,
      );
    }
    previous = migration.version;
  }
}

function assertNoUnknownVersions(
  db: Database,
  applied: Set<number>,
  known: Set<number>,
  highestKnown: number,
): void {
  const unknown = [...applied].filter((version) => !known.has(version));
  if (unknown.length === 0) return;
  const newest = Math.max(...unknown);
  const reason =
    newest > highestKnown
      ? `it has schema version ${newest} but this build only knows versions up to ${highestKnown}; ` +
        'it was probably written by a newer release of the bridge. Run that release, or restore a backup ' +
        'taken before the upgrade'
      : `it records schema version(s) ${unknown.join(', ')} that this build does not know`;
  throw new Error(`Refusing to use database ${db.name}: ${reason}. Nothing was changed.`);
}
