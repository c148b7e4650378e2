import { eventually } from '../helpers/bridge-harness';
import {
  type ReminderHarness,
  addPerson as person,
  enroll,
  startReminderHarness,
} from '../reminders/reminder-harness';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The UTC instant of a local wall-clock time, given the zone's UTC offset in hours (written out by hand). */
function at(date: string, time: string, offsetHours: number): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh, mm) - offsetHours * HOUR;
}

function days(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 24 * HOUR).toISOString().slice(0, 10));
}

/** Sweeps every 15 minutes from `from` to `to`, plus at each instant in `exact` and a minute before it. */
async function sweepThrough(h: ReminderHarness, from: number, to: number, exact: number[]): Promise<void> {
  const instants = new Set<number>();
  for (let t = from; t <= to; t += 15 * MINUTE) instants.add(t);
  for (const e of exact) {
    instants.add(e - MINUTE);
    instants.add(e);
  }
  for (const t of [...instants].sort((a, b) => a - b)) await h.runAt(t);
}

describe('reminders end to end', () => {
  let h: ReminderHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sends the daily DM at 09:00 local in three zones across a spring-forward and a fall-back', async () => {
    // Europe/Berlin springs forward on 2026-03-29; Australia/Sydney falls back on 2026-04-05; Asia/Kolkata
    // has no DST. Two more people sit inside the changes: 02:30 on Berlin's skipped hour, and 02:30 on
    // Sydney's repeated hour.
    const start = Date.parse('2026-03-27T00:00:00Z');
    const end = Date.parse('2026-04-06T00:00:00Z');
    h = await startReminderHarness({
      start: '2026-03-27T00:00:00Z',
      reminders: { refreshMinutes: 0 },
      seed: (asana, slack) => {
        person(asana, slack, { id: 'U_BER', gid: '1500000000000001', tz: 'Europe/Berlin' });
        person(asana, slack, { id: 'U_SYD', gid: '1500000000000002', tz: 'Australia/Sydney' });
        person(asana, slack, { id: 'U_KOL', gid: '1500000000000003', tz: 'Asia/Kolkata' });
        person(asana, slack, { id: 'U_GAP', gid: '1500000000000004', tz: 'Europe/Berlin' });
        person(asana, slack, { id: 'U_REP', gid: '1500000000000005', tz: 'Australia/Sydney' });
      },
    });
    await enroll(
      h,
      [
        { user: 'U_BER', timeZone: 'Europe/Berlin' },
        { user: 'U_SYD', timeZone: 'Australia/Sydney' },
        { user: 'U_KOL', timeZone: 'Asia/Kolkata' },
        { user: 'U_GAP', timeZone: 'Europe/Berlin', time: '02:30' },
        { user: 'U_REP', timeZone: 'Australia/Sydney', time: '02:30' },
      ],
      new Date(start).toISOString(),
    );

    // Expected instants, from the zones' offsets written out by hand (not from the code under test).
    const berlinOffset = (date: string) => (date >= '2026-03-29' ? 2 : 1);
    const sydneyOffset = (date: string) => (date >= '2026-04-05' ? 10 : 11);
    const expected: Record<string, number[]> = { U_BER: [], U_SYD: [], U_KOL: [], U_GAP: [], U_REP: [] };
    for (const date of days('2026-03-27', 11)) {
      expected.U_BER.push(at(date, '09:00', berlinOffset(date)));
      expected.U_KOL.push(at(date, '09:00', 5.5));
      expected.U_SYD.push(at(date, '09:00', sydneyOffset(date)));
      // 02:30 does not exist in Berlin on the 29th: the first minute after the gap is 03:00 CEST.
      expected.U_GAP.push(
        date === '2026-03-29' ? at(date, '03:00', 2) : at(date, '02:30', berlinOffset(date)),
      );
      // 02:30 happens twice in Sydney on 5 April: the first one (still AEDT, +11) counts, once.
      expected.U_REP.push(at(date, '02:30', date === '2026-04-05' ? 11 : sydneyOffset(date)));
    }
    for (const user of Object.keys(expected)) {
      expected[user] = expected[user].filter((t) => t >= start && t <= end);
    }

    await sweepThrough(h, start, end, Object.values(expected).flat());

    for (const [user, instants] of Object.entries(expected)) {
      const sent = h.dms(user).map((dm) => dm.at);
      expect(sent).toHaveLength(instants.length);
      sent.forEach((t, i) => {
        // Within a minute of the local reminder time, never before it.
        expect(t).toBeGreaterThanOrEqual(instants[i]);
        expect(t - instants[i]).toBeLessThan(MINUTE);
      });
    }
    // Spot checks in plain words: the DST days themselves.
    expect(h.dms('U_BER').map((d) => new Date(d.at).toISOString().slice(0, 16))).toEqual(
      expect.arrayContaining(['2026-03-28T08:00', '2026-03-29T07:00']),
    );
    expect(h.dms('U_SYD').map((d) => new Date(d.at).toISOString().slice(0, 16))).toEqual(
      expect.arrayContaining(['2026-04-03T22:00', '2026-04-04T23:00']),
    );
    expect(h.dms('U_GAP').map((d) => new Date(d.at).toISOString().slice(0, 16))).toContain(
      '2026-03-29T01:00',
    );
    expect(h.slack.errors).toEqual([]);
  });

  it('reminds shortly before a due time, by default 30 minutes and then as the person sets it', async () => {
    // 2026-06-10 in New York is EDT (UTC-4): 09:00 local is 13:00Z, 15:00 local is 19:00Z.
    h = await startReminderHarness({
      start: '2026-06-10T12:00:00Z',
      seed: (asana, slack) =>
        person(asana, slack, {
          id: 'U_DUE',
          gid: '1500000000000010',
          tz: 'America/New_York',
          tasks: [
            { name: 'Send the invoice', due_at: '2026-06-10T19:00:00.000Z' },
            { name: 'Call the printer', due_at: '2026-06-11T19:00:00.000Z' },
          ],
        }),
    });
    await enroll(h, [{ user: 'U_DUE', timeZone: 'America/New_York' }]);
    const start = Date.parse('2026-06-10T12:00:00Z');
    await sweepThrough(h, start, start + 8 * HOUR, [Date.parse('2026-06-10T18:30:00Z')]);

    const dms = h.dms('U_DUE');
    expect(dms.map((d) => [new Date(d.at).toISOString().slice(11, 16), d.text])).toEqual([
      ['13:00', 'Asana: 1 due today, 1 due tomorrow'],
      ['18:30', 'Due in 30 min: Send the invoice'],
    ]);
    expect(JSON.stringify(dms[1].blocks)).toContain('due today at 3:00 PM');

    // The person wants 15 minutes instead; tomorrow's task then comes at 14:45 local.
    await h.driver.command({ user_id: 'U_DUE', text: 'remind before 15m' });
    await eventually(() => h!.slack.responses().length === 1);
    expect(JSON.stringify(h.slack.responses()[0].body)).toContain('15 min before');
    await sweepThrough(h, start + 8 * HOUR, start + 32 * HOUR, [Date.parse('2026-06-11T18:45:00Z')]);
    expect(h.dms('U_DUE').map((d) => [new Date(d.at).toISOString().slice(0, 16), d.text])).toEqual([
      ['2026-06-10T13:00', 'Asana: 1 due today, 1 due tomorrow'],
      ['2026-06-10T18:30', 'Due in 30 min: Send the invoice'],
      ['2026-06-11T13:00', 'Asana: 1 overdue, 1 due today'],
      ['2026-06-11T18:45', 'Due in 15 min: Call the printer'],
    ]);
  });

  it('notices a due time set during the day through the hourly re-read', async () => {
    h = await startReminderHarness({
      start: '2026-06-10T12:00:00Z',
      seed: (asana, slack) =>
        person(asana, slack, { id: 'U_LATE', gid: '1500000000000011', tz: 'America/New_York', tasks: [] }),
    });
    await enroll(h, [{ user: 'U_LATE', timeZone: 'America/New_York' }]);
    const start = Date.parse('2026-06-10T12:00:00Z');
    await sweepThrough(h, start, start + 3 * HOUR, []);
    // Nothing due at 09:00 local: no DM, and the day is settled.
    expect(h.dms('U_LATE')).toEqual([]);

    // At 11:00 local someone gives the person a task due at 14:00 local (18:00Z).
    h.asana.addTask({
      workspace: '1100000000000001',
      assignee: '1500000000000011',
      name: 'Review the contract',
      due_at: '2026-06-10T18:00:00.000Z',
    });
    await sweepThrough(h, start + 3 * HOUR, start + 7 * HOUR, [Date.parse('2026-06-10T17:30:00Z')]);
    expect(h.dms('U_LATE').map((d) => [new Date(d.at).toISOString().slice(11, 16), d.text])).toEqual([
      ['17:30', 'Due in 30 min: Review the contract'],
    ]);
  });

  it('enrolls people when they use the bot, and leaves out the unmapped, the taskless, bots, the deactivated and guests', async () => {
    h = await startReminderHarness({
      start: '2026-06-09T20:00:00Z',
      seed: (asana, slack) => {
        asana.addTask({
          workspace: '1100000000000001',
          assignee: '1400000000000001',
          name: 'Req task',
          due_on: '2026-06-10',
        });
        person(asana, slack, { id: 'U_BOTLIKE', gid: '1500000000000020', tz: 'America/New_York' });
        slack.user('U_BOTLIKE')!.is_bot = true;
        person(asana, slack, { id: 'U_GONE', gid: '1500000000000021', tz: 'America/New_York' });
        slack.user('U_GONE')!.deleted = true;
      },
    });
    // U_REQ (mapped, one task), U_OTHER (mapped, no tasks), U_NOMAP (no Asana account) use the bot; the
    // Slack Connect guest tries and is refused. A bot and a deactivated account get settings by other means.
    for (const user of ['U_REQ', 'U_OTHER', 'U_NOMAP', 'U_EXT']) {
      await h.driver.command({ user_id: user, text: 'remind' });
    }
    await eventually(() => h!.slack.responses().length === 4);
    await eventually(() => h!.logs.filter((l) => l.includes('enrolled in reminders')).length === 3);
    expect((await h.bridge.store.listReminderSettings()).map((s) => s.slackUserId)).toEqual([
      'U_NOMAP',
      'U_OTHER',
      'U_REQ',
    ]);
    expect(
      JSON.stringify(h.slack.responses().find((r) => JSON.stringify(r.body).includes('No Map'))?.body),
    ).toContain('no reminders can reach you');
    await enroll(h, [
      { user: 'U_BOTLIKE', timeZone: 'America/New_York' },
      { user: 'U_GONE', timeZone: 'America/New_York' },
    ]);

    // Through the next day: 09:00 in New York (U_REQ, U_NOMAP, bots) and Berlin (U_OTHER).
    const from = Date.parse('2026-06-09T20:00:00Z');
    await sweepThrough(h, from, from + 24 * HOUR, []);
    expect(h.dms().map((d) => [d.channel, d.text])).toEqual([['U_REQ', 'Asana: 1 due today']]);
    // Only the two mapped, eligible people's tasks were ever read (daily read and hourly re-reads).
    const readFor = new Set(h.asana.requests.filter((r) => r.path === '/tasks').map((r) => r.query.assignee));
    expect([...readFor].sort()).toEqual(['1400000000000001', '1400000000000002']);
  });
});
