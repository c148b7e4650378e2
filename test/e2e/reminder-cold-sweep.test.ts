import { type ReminderHarness, addPerson, enroll, startReminderHarness } from '../reminders/reminder-harness';

const MINUTE = 60_000;
/** 09:00 in New York (EDT, UTC-4) on two consecutive days. */
const DAY_ONE_NINE = Date.parse('2026-06-10T13:00:00Z');
const DAY_TWO_NINE = Date.parse('2026-06-11T13:00:00Z');
const emailLookups = /^\/workspaces\/[^/]+\/users\//;

function crowd(from: number, count: number): Array<{ id: string; gid: string }> {
  return Array.from({ length: count }, (_, i) => ({
    id: `U_C${String(from + i).padStart(4, '0')}`,
    gid: String(1600000000000000 + from + i),
  }));
}

/** Sweeps every minute from 08:44 until `count` more DMs are out; returns the Asana requests made meanwhile. */
async function sweepMorning(h: ReminderHarness, nineOClock: number, count: number) {
  const from = h.asana.requests.length;
  const dmsBefore = h.dms().length;
  await h.tickEveryMinute(
    nineOClock - 16 * MINUTE,
    nineOClock + 30 * MINUTE,
    () => h.dms().length - dmsBefore >= count,
  );
  return { requests: h.asana.requests.slice(from), dms: h.dms().slice(dmsBefore) };
}

describe('reminder sweep linking people to Asana', () => {
  let h: ReminderHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('links a cold crowd of 250 from the user list, one read per 100 users, then one task read each', async () => {
    const people = crowd(0, 250);
    h = await startReminderHarness({
      start: '2026-06-10T12:40:00Z',
      logLevel: 'warn',
      seed: (asana, slack) => {
        for (const p of people) {
          addPerson(asana, slack, {
            ...p,
            tz: 'America/New_York',
            tasks: [{ name: `Report ${p.id}`, due_on: '2026-06-10' }],
          });
        }
      },
    });
    await enroll(
      h,
      people.map((p) => ({ user: p.id, timeZone: 'America/New_York' })),
    );

    const { requests, dms } = await sweepMorning(h, DAY_ONE_NINE, people.length);

    // 250 crowd + the harness's few seed users: three pages of 100.
    expect(requests.filter((r) => r.path === '/users')).toHaveLength(3);
    expect(requests.filter((r) => emailLookups.test(r.path))).toHaveLength(0);
    expect(requests.filter((r) => r.path === '/tasks')).toHaveLength(250);
    expect(new Set(dms.map((d) => d.channel)).size).toBe(250);
    expect(dms.every((d) => d.at < DAY_ONE_NINE + MINUTE)).toBe(true);
    for (const p of people.slice(0, 3)) {
      expect(await h.bridge.store.getUserLink(p.id)).toMatchObject({ asanaUserGid: p.gid });
    }
  });

  it('looks a lone newcomer up by email rather than reading the whole user list', async () => {
    const people = crowd(0, 40);
    const [newcomer] = crowd(40, 1);
    h = await startReminderHarness({
      start: '2026-06-10T12:40:00Z',
      logLevel: 'warn',
      seed: (asana, slack) => {
        for (const p of people) addPerson(asana, slack, { ...p, tz: 'America/New_York' });
      },
    });
    await enroll(
      h,
      people.map((p) => ({ user: p.id, timeZone: 'America/New_York' })),
    );
    const cold = await sweepMorning(h, DAY_ONE_NINE, people.length);
    expect(cold.requests.filter((r) => r.path === '/users')).toHaveLength(1);

    // Someone who joins after the list was read, so the list in memory cannot answer for them.
    addPerson(h.asana, h.slack, { ...newcomer, tz: 'America/New_York' });
    await enroll(h, [{ user: newcomer.id, timeZone: 'America/New_York' }]);
    const next = await sweepMorning(h, DAY_TWO_NINE, people.length + 1);

    expect(next.requests.filter((r) => r.path === '/users')).toHaveLength(0);
    expect(next.requests.filter((r) => emailLookups.test(r.path))).toHaveLength(1);
    expect(next.dms.map((d) => d.channel)).toContain(newcomer.id);
  });
});
