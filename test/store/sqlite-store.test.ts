import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { MemoryStore } from '../../src/store/memory-store';
import { Migration, migrate, migrations } from '../../src/store/migrations';
import { SqliteStore } from '../../src/store/sqlite-store';
import { ChannelDefault, MessageTaskLink, ReminderSettings, Store, UserLink } from '../../src/store/store';

const DAY_MS = 24 * 60 * 60 * 1000;
const START = new Date('2025-03-10T09:00:00.000Z');

/** A clock the test moves by hand, so expiry is tested without waiting or fake timers. */
class TestClock {
  private ms = START.getTime();
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

const tempDirs: string[] = [];

function makeTempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bridge-store-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const channelDefault = (overrides: Partial<ChannelDefault> = {}): ChannelDefault => ({
  channelId: 'C0123456789',
  projectGid: '1200000000000001',
  projectName: 'Launch',
  sectionGid: '1200000000000099',
  setBy: 'U0AAAAAAA',
  setAt: '2025-03-10T09:00:00.000Z',
  ...overrides,
});

const userLink = (overrides: Partial<UserLink> = {}): UserLink => ({
  slackUserId: 'U0AAAAAAA',
  asanaUserGid: '1100000000000001',
  email: 'ada@example.com',
  checkedAt: '2025-03-10T09:00:00.000Z',
  ...overrides,
});

const messageTask = (overrides: Partial<MessageTaskLink> = {}): MessageTaskLink => ({
  channelId: 'C0123456789',
  messageTs: '1741597200.000100',
  taskGid: '1300000000000001',
  createdBy: 'U0AAAAAAA',
  createdAt: '2025-03-10T09:00:00.000Z',
  ...overrides,
});

const reminderSettings = (overrides: Partial<ReminderSettings> = {}): ReminderSettings => ({
  slackUserId: 'U0AAAAAAA',
  enabled: true,
  time: '08:30',
  beforeMinutes: 15,
  timeZone: 'Europe/Berlin',
  optedInAt: '2025-03-01T10:00:00.000Z',
  updatedAt: '2025-03-01T10:00:00.000Z',
  ...overrides,
});

interface Subject {
  store: Store;
  clock: TestClock;
}

const implementations: Array<[string, () => Subject]> = [
  [
    'SqliteStore',
    () => {
      const clock = new TestClock();
      return { store: SqliteStore.open({ dataDir: makeTempDir(), now: clock.now }), clock };
    },
  ],
  [
    'MemoryStore',
    () => {
      const clock = new TestClock();
      return { store: new MemoryStore({ now: clock.now }), clock };
    },
  ],
];

describe.each(implementations)('%s (Store contract)', (_name, create) => {
  let store: Store;
  let clock: TestClock;

  beforeEach(() => {
    ({ store, clock } = create());
  });

  afterEach(async () => {
    await store.close();
  });

  describe('channel defaults', () => {
    it('returns undefined for a channel without one', async () => {
      expect(await store.getChannelDefault('C_NONE')).toBeUndefined();
    });

    it('returns what was set', async () => {
      await store.setChannelDefault(channelDefault());
      expect(await store.getChannelDefault('C0123456789')).toStrictEqual(channelDefault());
    });

    it('replaces the whole record, so leaving out the section clears it', async () => {
      await store.setChannelDefault(channelDefault());
      const { sectionGid: _dropped, ...withoutSection } = channelDefault({ projectName: 'Renamed' });
      await store.setChannelDefault(withoutSection);
      expect(await store.getChannelDefault('C0123456789')).toStrictEqual(withoutSection);
    });

    it('keeps channels apart', async () => {
      await store.setChannelDefault(channelDefault({ channelId: 'C1', projectGid: '1' }));
      await store.setChannelDefault(channelDefault({ channelId: 'C2', projectGid: '2' }));
      expect((await store.getChannelDefault('C1'))?.projectGid).toBe('1');
      expect((await store.getChannelDefault('C2'))?.projectGid).toBe('2');
    });

    it('clears a default and says whether there was one', async () => {
      await store.setChannelDefault(channelDefault());
      expect(await store.clearChannelDefault('C0123456789')).toBe(true);
      expect(await store.getChannelDefault('C0123456789')).toBeUndefined();
      expect(await store.clearChannelDefault('C0123456789')).toBe(false);
    });
  });

  describe('user links', () => {
    it('returns undefined for a user never checked', async () => {
      expect(await store.getUserLink('U_NONE')).toBeUndefined();
    });

    it('returns what was set, including a known-unmapped user', async () => {
      await store.setUserLink(userLink());
      await store.setUserLink(userLink({ slackUserId: 'U0BBBBBBB', asanaUserGid: null, email: null }));
      expect(await store.getUserLink('U0AAAAAAA')).toStrictEqual(userLink());
      expect(await store.getUserLink('U0BBBBBBB')).toStrictEqual(
        userLink({ slackUserId: 'U0BBBBBBB', asanaUserGid: null, email: null }),
      );
    });

    it('overwrites an earlier link for the same user', async () => {
      await store.setUserLink(userLink({ asanaUserGid: null }));
      await store.setUserLink(userLink({ asanaUserGid: '42', checkedAt: '2025-03-11T00:00:00.000Z' }));
      expect(await store.getUserLink('U0AAAAAAA')).toStrictEqual(
        userLink({ asanaUserGid: '42', checkedAt: '2025-03-11T00:00:00.000Z' }),
      );
    });
  });

  describe('message tasks', () => {
    it('returns an empty list for a message with no tasks', async () => {
      expect(await store.tasksForMessage('C0123456789', '1.000')).toEqual([]);
    });

    it('returns the tasks of one message in the order they were added', async () => {
      await store.addMessageTask(messageTask({ taskGid: '9' }));
      await store.addMessageTask(messageTask({ taskGid: '1' }));
      await store.addMessageTask(messageTask({ messageTs: '2.000', taskGid: '5' }));
      await store.addMessageTask(messageTask({ channelId: 'C_OTHER', taskGid: '6' }));
      expect(await store.tasksForMessage('C0123456789', '1741597200.000100')).toStrictEqual([
        messageTask({ taskGid: '9' }),
        messageTask({ taskGid: '1' }),
      ]);
    });

    it('keeps one link when the same task is added twice', async () => {
      await store.addMessageTask(messageTask());
      await store.addMessageTask(messageTask({ createdAt: '2025-03-10T09:00:05.000Z' }));
      expect(await store.tasksForMessage('C0123456789', '1741597200.000100')).toStrictEqual([messageTask()]);
    });
  });

  describe('claim', () => {
    it('is true for the first caller and false while the key lives', async () => {
      expect(await store.claim('cmd:trigger-1', 60)).toBe(true);
      expect(await store.claim('cmd:trigger-1', 60)).toBe(false);
      expect(await store.claim('cmd:trigger-2', 60)).toBe(true);
    });

    it('gives exactly one of many overlapping callers the key', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('job:1', 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('holds the key until its time-to-live has passed, then lets it be claimed again', async () => {
      await store.claim('k', 60);
      clock.advance(59_999);
      expect(await store.claim('k', 60)).toBe(false);
      clock.advance(1);
      expect(await store.claim('k', 60)).toBe(true);
      expect(await store.claim('k', 60)).toBe(false);
    });

    it('lets a released key be claimed again at once', async () => {
      await store.claim('k', 60);
      await store.release('k');
      expect(await store.claim('k', 60)).toBe(true);
    });

    it('accepts releasing a key nobody holds', async () => {
      await expect(store.release('never-claimed')).resolves.toBeUndefined();
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects ttlSeconds %p', async (ttl) => {
      await expect(store.claim('k', ttl)).rejects.toThrow(RangeError);
    });
  });

  describe('reminder settings', () => {
    it('returns undefined for a user who never opted in', async () => {
      expect(await store.getReminderSettings('U_NONE')).toBeUndefined();
    });

    it('returns what was saved and overwrites on a second save', async () => {
      await store.saveReminderSettings(reminderSettings());
      expect(await store.getReminderSettings('U0AAAAAAA')).toStrictEqual(reminderSettings());
      const changed = reminderSettings({ enabled: false, time: '17:05', beforeMinutes: 0, timeZone: null });
      await store.saveReminderSettings(changed);
      expect(await store.getReminderSettings('U0AAAAAAA')).toStrictEqual(changed);
    });

    it('lists enabled and disabled users, ordered by user id', async () => {
      await store.saveReminderSettings(reminderSettings({ slackUserId: 'U0CCCCCCC', enabled: false }));
      await store.saveReminderSettings(reminderSettings({ slackUserId: 'U0AAAAAAA' }));
      await store.saveReminderSettings(reminderSettings({ slackUserId: 'U0BBBBBBB' }));
      expect(await store.listReminderSettings()).toStrictEqual([
        reminderSettings({ slackUserId: 'U0AAAAAAA' }),
        reminderSettings({ slackUserId: 'U0BBBBBBB' }),
        reminderSettings({ slackUserId: 'U0CCCCCCC', enabled: false }),
      ]);
    });

    it.each([
      { time: '8:30' },
      { time: '24:00' },
      { time: '08:60' },
      { beforeMinutes: -5 },
      { beforeMinutes: 2.5 },
    ])('refuses %p', async (overrides) => {
      await expect(store.saveReminderSettings(reminderSettings(overrides))).rejects.toThrow(RangeError);
      expect(await store.getReminderSettings('U0AAAAAAA')).toBeUndefined();
    });
  });

  describe('sent reminders', () => {
    it('records a key once and reports it afterwards', async () => {
      expect(await store.hasReminder('U0AAAAAAA:2025-03-10')).toBe(false);
      expect(await store.recordReminder('U0AAAAAAA:2025-03-10', 'U0AAAAAAA', START.toISOString())).toBe(true);
      expect(await store.recordReminder('U0AAAAAAA:2025-03-10', 'U0AAAAAAA', START.toISOString())).toBe(
        false,
      );
      expect(await store.hasReminder('U0AAAAAAA:2025-03-10')).toBe(true);
    });

    it('lets exactly one of many overlapping callers record a key', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.recordReminder('r', 'U0AAAAAAA', START.toISOString())),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('rejects a sentAt that is not a date', async () => {
      await expect(store.recordReminder('r', 'U0AAAAAAA', 'yesterday')).rejects.toThrow(RangeError);
      expect(await store.hasReminder('r')).toBe(false);
    });
  });

  describe('purgeExpired', () => {
    it('drops expired claims and keeps live ones', async () => {
      await store.claim('short', 10);
      await store.claim('long', 3600);
      // Purge as of a minute later, while the store's own clock stays at the start: a claim that is
      // claimable again at the start time can only have been deleted by the purge.
      await store.purgeExpired(new Date(START.getTime() + 60_000));
      expect(await store.claim('short', 10)).toBe(true);
      expect(await store.claim('long', 3600)).toBe(false);
    });

    it('drops reminder records sent more than 30 days before now and keeps the rest', async () => {
      const now = START.getTime();
      await store.recordReminder('old', 'U1', new Date(now - 30 * DAY_MS - 1).toISOString());
      await store.recordReminder('edge', 'U1', new Date(now - 30 * DAY_MS).toISOString());
      // Another offset for the same kind of instant: purging compares times, not strings.
      await store.recordReminder('recent', 'U1', '2025-03-09T23:00:00.000-05:00');
      await store.purgeExpired(START);
      expect(await store.hasReminder('old')).toBe(false);
      expect(await store.hasReminder('edge')).toBe(true);
      expect(await store.hasReminder('recent')).toBe(true);
    });
  });

  it('hands out copies, so changing a result does not change the store', async () => {
    await store.setChannelDefault(channelDefault());
    await store.setUserLink(userLink());
    await store.saveReminderSettings(reminderSettings());
    await store.addMessageTask(messageTask());

    (await store.getChannelDefault('C0123456789'))!.projectName = 'changed';
    (await store.getUserLink('U0AAAAAAA'))!.email = 'changed';
    (await store.getReminderSettings('U0AAAAAAA'))!.time = '00:00';
    (await store.tasksForMessage('C0123456789', '1741597200.000100'))[0].taskGid = 'changed';

    expect(await store.getChannelDefault('C0123456789')).toStrictEqual(channelDefault());
    expect(await store.getUserLink('U0AAAAAAA')).toStrictEqual(userLink());
    expect(await store.getReminderSettings('U0AAAAAAA')).toStrictEqual(reminderSettings());
    expect(await store.tasksForMessage('C0123456789', '1741597200.000100')).toStrictEqual([messageTask()]);
  });

  it('rejects use after close', async () => {
    await store.close();
    await expect(store.getUserLink('U0AAAAAAA')).rejects.toThrow();
    await expect(store.claim('k', 60)).rejects.toThrow();
  });
});

describe('SqliteStore', () => {
  const openRaw = (file: string): Database.Database => new Database(file);

  describe('open', () => {
    it('creates a missing data directory and the default file, in WAL mode', async () => {
      const dataDir = path.join(makeTempDir(), 'nested', 'data');
      const store = SqliteStore.open({ dataDir });
      await store.close();

      const db = openRaw(path.join(dataDir, 'bridge.sqlite'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    });

    it('uses the given file name', async () => {
      const dataDir = makeTempDir();
      const store = SqliteStore.open({ dataDir, fileName: 'other.db' });
      await store.setUserLink(userLink());
      await store.close();

      const db = openRaw(path.join(dataDir, 'other.db'));
      expect(db.prepare('SELECT count(*) FROM user_links').pluck().get()).toBe(1);
      db.close();
    });

    it('names the directory when it cannot be created', () => {
      const blocker = path.join(makeTempDir(), 'a-file');
      writeFileSync(blocker, 'not a directory');
      const dataDir = path.join(blocker, 'data');
      expect(() => SqliteStore.open({ dataDir })).toThrow(`Cannot create data directory ${dataDir}`);
    });

    it('names the file when it cannot be opened as a database', () => {
      const dataDir = makeTempDir();
      const file = path.join(dataDir, 'bridge.sqlite');
      writeFileSync(file, 'this is not an SQLite database, just text that is long enough to fill a header.');
      expect(() => SqliteStore.open({ dataDir })).toThrow(`Cannot open SQLite database ${file}`);
    });
  });

  it('keeps everything across close and reopen', async () => {
    const dataDir = makeTempDir();
    const clock = new TestClock();
    const first = SqliteStore.open({ dataDir, now: clock.now });
    await first.setChannelDefault(channelDefault());
    await first.setUserLink(userLink());
    await first.addMessageTask(messageTask());
    await first.saveReminderSettings(reminderSettings());
    await first.claim('k', 60);
    await first.recordReminder('r', 'U0AAAAAAA', START.toISOString());
    await first.close();

    const second = SqliteStore.open({ dataDir, now: clock.now });
    expect(await second.getChannelDefault('C0123456789')).toStrictEqual(channelDefault());
    expect(await second.getUserLink('U0AAAAAAA')).toStrictEqual(userLink());
    expect(await second.tasksForMessage('C0123456789', '1741597200.000100')).toStrictEqual([messageTask()]);
    expect(await second.listReminderSettings()).toStrictEqual([reminderSettings()]);
    expect(await second.claim('k', 60)).toBe(false);
    expect(await second.hasReminder('r')).toBe(true);
    await second.close();
  });

  it('closes twice without complaint', async () => {
    const store = SqliteStore.open({ dataDir: makeTempDir() });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });

  describe('migrations', () => {
    const versionsIn = (file: string): Array<{ version: number; applied_at: string }> => {
      const db = openRaw(file);
      const rows = db
        .prepare<[], { version: number; applied_at: string }>(
          'SELECT version, applied_at FROM schema_migrations ORDER BY version',
        )
        .all();
      db.close();
      return rows;
    };

    it('applies each migration once, however often the store is opened', async () => {
      const dataDir = makeTempDir();
      const file = path.join(dataDir, 'bridge.sqlite');
      await SqliteStore.open({ dataDir }).close();
      const afterFirst = versionsIn(file);
      expect(afterFirst.map((row) => row.version)).toEqual(migrations.map((m) => m.version));

      await SqliteStore.open({ dataDir }).close();
      await SqliteStore.open({ dataDir }).close();
      expect(versionsIn(file)).toEqual(afterFirst);
    });

    it('runs a migration only on the first migrate and reports what it applied', () => {
      const db = openRaw(path.join(makeTempDir(), 'm.sqlite'));
      const calls: number[] = [];
      const list: Migration[] = [1, 2, 3].map((version) => ({
        version,
        name: `step ${version}`,
        up: (target) => {
          calls.push(version);
          target.exec(`CREATE TABLE t${version} (x INTEGER)`);
        },
      }));
      expect(migrate(db, list.slice(0, 2))).toEqual([1, 2]);
      expect(migrate(db, list)).toEqual([3]);
      expect(migrate(db, list)).toEqual([]);
      expect(calls).toEqual([1, 2, 3]);
      db.close();
    });

    it('rolls a failed migration back and leaves it unrecorded', () => {
      const db = openRaw(path.join(makeTempDir(), 'm.sqlite'));
      const failing: Migration = {
        version: 1,
        name: 'half done',
        up: (target) => {
          target.exec('CREATE TABLE half (x INTEGER)');
          throw new Error('boom');
        },
      };
      expect(() => migrate(db, [failing])).toThrow('boom');
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(0);
      db.close();
    });

    it('refuses a migration list that is out of order', () => {
      const db = openRaw(':memory:');
      const up = (): void => undefined;
      expect(() =>
        migrate(db, [
          { version: 2, name: 'b', up },
          { version: 1, name: 'a', up },
        ]),
      ).toThrow(/out of order/);
      db.close();
    });

    it('refuses a database from a newer build and leaves it untouched', async () => {
      const dataDir = makeTempDir();
      const file = path.join(dataDir, 'bridge.sqlite');
      const store = SqliteStore.open({ dataDir });
      await store.setUserLink(userLink());
      await store.close();
      const future = Math.max(...migrations.map((m) => m.version)) + 1;
      const raw = openRaw(file);
      raw
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(future, 'from the future', START.toISOString());
      raw.close();
      const before = versionsIn(file);

      expect(() => SqliteStore.open({ dataDir })).toThrow(
        new RegExp(`Refusing to use database .*bridge\\.sqlite: it has schema version ${future}`),
      );

      expect(versionsIn(file)).toEqual(before);
      const check = openRaw(file);
      expect(check.prepare('SELECT count(*) FROM user_links').pluck().get()).toBe(1);
      check.close();
    });

    it('refuses a database recording a version this build does not know', () => {
      const db = openRaw(':memory:');
      const up = (): void => undefined;
      migrate(db, [
        { version: 1, name: 'a', up },
        { version: 2, name: 'b', up },
      ]);
      expect(() => migrate(db, [{ version: 2, name: 'b', up }])).toThrow(/schema version\(s\) 1/);
      db.close();
    });
  });

  describe('two stores on one file', () => {
    let dataDir: string;
    let clock: TestClock;
    let a: SqliteStore;
    let b: SqliteStore;

    beforeEach(() => {
      dataDir = makeTempDir();
      clock = new TestClock();
      a = SqliteStore.open({ dataDir, now: clock.now });
      b = SqliteStore.open({ dataDir, now: clock.now });
    });

    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it('grant a claim to exactly one of them', async () => {
      const results = await Promise.all([
        a.claim('k', 60),
        b.claim('k', 60),
        a.claim('k', 60),
        b.claim('k', 60),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('record a reminder key exactly once between them', async () => {
      const sentAt = START.toISOString();
      const results = await Promise.all([
        a.recordReminder('r', 'U1', sentAt),
        b.recordReminder('r', 'U1', sentAt),
        b.recordReminder('r', 'U1', sentAt),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.hasReminder('r')).toBe(true);
    });

    it('let one take over a claim the other let expire', async () => {
      expect(await a.claim('k', 30)).toBe(true);
      expect(await b.claim('k', 30)).toBe(false);
      clock.advance(30_000);
      expect(await b.claim('k', 30)).toBe(true);
      expect(await a.claim('k', 30)).toBe(false);
    });

    it('see a release made by the other', async () => {
      await a.claim('k', 60);
      await a.release('k');
      expect(await b.claim('k', 60)).toBe(true);
    });
  });

  describe('two processes on one file', () => {
    const KEYS = 300;
    const children: ChildProcess[] = [];

    afterEach(() => {
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
    });

    /**
     * A separate Node process (ts-node, so it runs this source as is) that opens the store, says
     * "ready", waits for a line on stdin, then races for every key and prints which ones it won.
     */
    function startRacer(dataDir: string): {
      child: ChildProcess;
      ready: Promise<void>;
      result: Promise<string>;
    } {
      const storePath = path.resolve(__dirname, '../../src/store/sqlite-store.ts');
      const script = `
        const { SqliteStore } = require(${JSON.stringify(storePath)});
        const store = SqliteStore.open({ dataDir: ${JSON.stringify(dataDir)} });
        process.stdout.write('ready\\n');
        process.stdin.once('data', async () => {
          const claims = [];
          const reminders = [];
          for (let i = 0; i < ${KEYS}; i++) {
            if (await store.claim('key-' + i, 600)) claims.push(i);
            if (await store.recordReminder('rem-' + i, 'U1', new Date().toISOString())) reminders.push(i);
          }
          await store.close();
          process.stdout.write(JSON.stringify({ claims, reminders }) + '\\n');
          process.exit(0);
        });
      `;
      const child = spawn(
        process.execPath,
        ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script],
        { cwd: path.resolve(__dirname, '../..'), stdio: ['pipe', 'pipe', 'pipe'] },
      );
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const lines = createInterface({ input: child.stdout! });
      const iterator = lines[Symbol.asyncIterator]();
      const failed = new Promise<never>((_resolve, reject) =>
        child.on('exit', (code) => reject(new Error(`racer exited with ${code}: ${stderr}`))),
      );
      failed.catch(() => undefined);
      const nextLine = async (): Promise<string> =>
        Promise.race([iterator.next().then((next) => String(next.value)), failed]);
      const ready = nextLine().then((line) => expect(line).toBe('ready'));
      const result = ready.then(nextLine);
      return { child, ready, result };
    }

    it('never grant the same claim or reminder key to both', async () => {
      const dataDir = makeTempDir();
      // Create and migrate the file first so the race is about claims, not about start-up.
      await SqliteStore.open({ dataDir }).close();

      const racers = [startRacer(dataDir), startRacer(dataDir)];
      await Promise.all(racers.map((racer) => racer.ready));
      for (const racer of racers) racer.child.stdin!.write('go\n');
      const [first, second] = (await Promise.all(racers.map((racer) => racer.result))).map(
        (line) => JSON.parse(line) as { claims: number[]; reminders: number[] },
      );

      for (const kind of ['claims', 'reminders'] as const) {
        const won = [...first[kind], ...second[kind]].sort((x, y) => x - y);
        expect(won).toEqual(Array.from({ length: KEYS }, (_, i) => i));
      }
    });
  });
});

describe.each(implementations)('%s drafts', (_name, create) => {
  it('keeps a draft until it expires, and forgets it when deleted', async () => {
    const { store, clock } = create();
    await store.saveDraft('d1', { raw: 'R&amp;D *now*', plain: 'R&D *now*' }, 60);
    await store.saveDraft('d2', { raw: 'second', plain: 'second' }, 60);

    expect(await store.loadDraft('d1')).toEqual({ raw: 'R&amp;D *now*', plain: 'R&D *now*' });
    await store.deleteDraft('d2');
    expect(await store.loadDraft('d2')).toBeUndefined();

    clock.advance(61_000);
    expect(await store.loadDraft('d1')).toBeUndefined();
    await store.purgeExpired(new Date(clock.now().getTime()));
    await store.close();
  });
});

describe('SqliteStore drafts across a restart', () => {
  it('reads a draft written before the store was reopened', async () => {
    const dataDir = makeTempDir();
    const first = SqliteStore.open({ dataDir });
    await first.saveDraft('d1', { raw: 'kept', plain: 'kept' }, 60);
    await first.close();

    const second = SqliteStore.open({ dataDir });
    expect(await second.loadDraft('d1')).toEqual({ raw: 'kept', plain: 'kept' });
    await second.close();
  });
});
