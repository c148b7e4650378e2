import { eventually } from '../helpers/bridge-harness';
import { type ReminderHarness, addPerson, enroll, startReminderHarness } from '../reminders/reminder-harness';

const MINUTE = 60_000;

/** `count` people in New York (09:00 EDT = 13:00Z on 2026-06-10), each with `tasks` tasks due today. */
function crowd(count: number, tasks = 2) {
  const people = Array.from({ length: count }, (_, i) => ({
    id: `U_P${String(i).padStart(4, '0')}`,
    gid: String(1600000000000000 + i),
  }));
  return {
    people,
    seed: (asana: Parameters<typeof addPerson>[0], slack: Parameters<typeof addPerson>[1]) => {
      for (const p of people) {
        addPerson(asana, slack, {
          ...p,
          tz: 'America/New_York',
          tasks: Array.from({ length: tasks }, (_, k) => ({
            name: `Task ${k} of ${p.id}`,
            due_on: '2026-06-10',
          })),
        });
      }
    },
    settings: people.map((p) => ({ user: p.id, timeZone: 'America/New_York' })),
  };
}

/** How many DMs each person got. */
function perPerson(h: ReminderHarness): Map<string, number> {
  const counts = new Map<string, number>();
  for (const dm of h.dms()) counts.set(dm.channel, (counts.get(dm.channel) ?? 0) + 1);
  return counts;
}

/** The most requests whose (virtual) start times fall within any 60-second window. */
function peakPerMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= MINUTE) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}

describe('reminder delivery', () => {
  let h: ReminderHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a restart in the middle of a sweep sends nothing twice and skips nobody', async () => {
    const { seed, settings, people } = crowd(30);
    h = await startReminderHarness({
      start: '2026-06-10T13:00:00Z',
      seed,
      // No read-ahead, so every read happens inside the 09:00 sweep, and slow Asana answers keep it going.
      reminders: { lookaheadMinutes: 1 },
    });
    await enroll(h, settings);
    h.asana.latencyMs = 15;

    const sweep = h.bridge.reminders.runOnce();
    await eventually(() => h!.dms().length >= 8);
    await h.restart();
    await sweep;
    const beforeRestart = h.dms().length;
    expect(beforeRestart).toBeLessThan(30);

    await h.runAt('2026-06-10T13:01:00Z');
    await h.runAt('2026-06-10T13:05:00Z');
    const counts = perPerson(h);
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(people.every((p) => counts.has(p.id))).toBe(true);
  });

  it('two processes sweeping the same store at once send each reminder once', async () => {
    const { seed, settings } = crowd(20);
    h = await startReminderHarness({ start: '2026-06-10T12:40:00Z', seed });
    await enroll(h, settings);
    const twin = await h.twin();
    h.clock.set('2026-06-10T13:00:00Z');
    await Promise.all([h.bridge.reminders.runOnce(), twin.reminders.runOnce(), h.bridge.reminders.runOnce()]);
    await Promise.all([h.bridge.reminders.runOnce(), twin.reminders.runOnce()]);
    const counts = perPerson(h);
    expect(counts.size).toBe(20);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('a sweep for 200 people stays under the per-minute budget, one paged read each, and leaves room for commands', async () => {
    const { seed, settings } = crowd(200, 3);
    h = await startReminderHarness({ start: '2026-06-10T12:40:00Z', seed, rateLimitPerMinute: 150 });
    await enroll(h, settings);

    await h.runAt('2026-06-10T12:45:00Z');
    // A person's command while the sweep reads: it goes through at once, on the share left for people.
    await h.driver.command({ user_id: 'U_REQ', text: 'remind' });
    await eventually(() => h!.slack.responses().length === 1);
    for (let t = Date.parse('2026-06-10T12:46:00Z'); t <= Date.parse('2026-06-10T13:05:00Z'); t += MINUTE) {
      await h.runAt(t);
    }

    const counts = perPerson(h);
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Every DM within a minute of 09:00 local.
    for (const dm of h.dms()) {
      expect(dm.at).toBeGreaterThanOrEqual(Date.parse('2026-06-10T13:00:00Z'));
      expect(dm.at).toBeLessThan(Date.parse('2026-06-10T13:01:00Z'));
    }
    // Cost: one paged task read per person (3 tasks fit one page), never one request per task.
    const reads = h.asana.requests.filter((r) => r.path === '/tasks').map((r) => r.query.assignee);
    expect(reads.filter((gid) => gid.startsWith('16'))).toHaveLength(200);
    expect(new Set(reads).size).toBe(reads.length);
    // U_REQ, enrolled by that command before 09:00, was read once too; nothing due, so no DM.
    expect(counts.has('U_REQ')).toBe(false);
    expect(h.asana.count('GET', /^\/tasks\/\d+$/)).toBe(0);
    // Budget: no 60-second window held more than the background share (60% of 150), so people's
    // commands always had at least 60 requests a minute left.
    expect(peakPerMinute(h.asanaTimes)).toBeLessThanOrEqual(90);
    expect(h.asana.requests.every((r) => r.status !== 429)).toBe(true);
  });

  it('honours Retry-After: the whole sweep waits, the throttled read is retried, nobody is skipped', async () => {
    const { seed, settings } = crowd(10);
    h = await startReminderHarness({
      start: '2026-06-10T12:44:00Z',
      seed,
      rateLimitPerMinute: 150,
      retryPolicy: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 60_000 },
    });
    await enroll(h, settings);
    h.asana.fail({ method: 'GET', path: '/tasks', status: 429, retryAfterSeconds: 20 });

    await h.runAt('2026-06-10T12:45:00Z');
    expect(h.asana.requests.filter((r) => r.status === 429)).toHaveLength(1);
    const throttled = h.asana.requests.findIndex((r) => r.status === 429);
    const throttledAt = h.asanaTimes[throttled];
    // The throttled read itself is tried again only after the 20 seconds Asana asked for.
    const retry = h.asana.requests.findIndex(
      (r, i) => i > throttled && r.query.assignee === h!.asana.requests[throttled].query.assignee,
    );
    expect(h.asanaTimes[retry]).toBeGreaterThanOrEqual(throttledAt + 20_000);
    // Once the bridge had the 429 in hand, the sweep started no read before the pause ended. The fake
    // stamps a request when it arrives, so reads already on the wire when the 429 came back (at most
    // one per reader, fewer in practice as reads are 0.8 s apart) arrive after it with earlier times.
    const pause = JSON.parse(h.logs.find((l) => l.includes('reminder reads paused'))!);
    const resumeAt = Date.parse(pause.resumeAt);
    expect(resumeAt).toBeGreaterThanOrEqual(throttledAt + 20_000);
    const early = h.asana.requests.filter(
      (r, i) => r.at > Date.parse(pause.timestamp) && r.path === '/tasks' && h!.asanaTimes[i] < resumeAt,
    );
    expect(early.length).toBeLessThanOrEqual(3);
    expect(h.asanaTimes.filter((t) => t > throttledAt + 2_000 && t < resumeAt)).toEqual([]);

    await h.runAt('2026-06-10T13:00:00Z');
    const counts = perPerson(h);
    expect(counts.size).toBe(10);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('retries a DM Slack rate-limited, and never resends one whose outcome is unknown', async () => {
    const { seed, settings } = crowd(3);
    h = await startReminderHarness({ start: '2026-06-10T12:45:00Z', seed });
    await enroll(h, settings);
    const posted = (day: string) =>
      h!.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.response.ok && new Date(c.at).toISOString().startsWith(day))
        .map((c) => c.args.channel);

    // Day 1: Slack answers one DM with 429, which proves it was not posted; it goes at the next sweep.
    await h.runAt('2026-06-10T12:45:00Z');
    h.slack.rateLimitNext('chat.postMessage', 30);
    await h.runAt('2026-06-10T13:00:00Z');
    const limited = h.slack.callsTo('chat.postMessage').find((c) => c.response.error === 'ratelimited')!.args
      .channel;
    expect(posted('2026-06-10')).not.toContain(limited);
    await h.runAt('2026-06-10T13:01:00Z');
    await h.runAt('2026-06-10T13:02:00Z');
    expect(posted('2026-06-10').sort()).toEqual(['U_P0000', 'U_P0001', 'U_P0002']);

    // Day 2: Slack answers one DM with internal_error: it may have been posted, so it is never sent
    // again, not by later sweeps and not after a restart. At most once is the price of never twice.
    await h.runAt('2026-06-11T12:45:00Z');
    h.slack.failNext('chat.postMessage', 'internal_error');
    await h.runAt('2026-06-11T13:00:00Z');
    const maybe = h.slack.callsTo('chat.postMessage').find((c) => c.response.error === 'internal_error')!.args
      .channel;
    for (let minute = 1; minute <= 5; minute++) await h.runAt(`2026-06-11T13:0${minute}:00Z`);
    await h.restart();
    await h.runAt('2026-06-11T13:10:00Z');
    const day2 = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => new Date(c.at).toISOString().startsWith('2026-06-11'));
    expect(day2.filter((c) => c.args.channel === maybe)).toHaveLength(1);
    expect(posted('2026-06-11')).toHaveLength(2);
    expect(posted('2026-06-11')).not.toContain(maybe);
  });

  it('keeps a DM with many tasks inside Block Kit limits and links to all of them', async () => {
    h = await startReminderHarness({
      start: '2026-06-10T12:45:00Z',
      seed: (asana, slack) =>
        addPerson(asana, slack, {
          id: 'U_BUSY',
          gid: '1500000000000040',
          tz: 'America/New_York',
          tasks: Array.from({ length: 140 }, (_, i) => ({
            name: `${'Very long task name '.repeat(20)}<!channel> #${i}`,
            due_on: i % 2 === 0 ? '2026-06-09' : '2026-06-10',
          })),
        }),
    });
    await enroll(h, [{ user: 'U_BUSY', timeZone: 'America/New_York' }]);
    await h.runAt('2026-06-10T12:45:00Z');
    await h.runAt('2026-06-10T13:00:00Z');

    expect(h.slack.errors).toEqual([]);
    const [dm] = h.dms('U_BUSY');
    expect(dm.blocks.length).toBeLessThanOrEqual(50);
    expect(dm.blocks.filter((b) => b.type === 'actions')).toHaveLength(15);
    const json = JSON.stringify(dm.blocks);
    expect(json).toContain('Showing 15 of 140 tasks');
    expect(json).toMatch(/<https:\/\/app\.asana\.com\/0\/\d+\/list\|See all 140 in Asana>/);
    expect(json).not.toContain('<!channel>');
    // 140 tasks are two pages of 100, plus one lookup of the My Tasks list.
    expect(h.asana.count('GET', '/tasks')).toBe(2);
  });
});
