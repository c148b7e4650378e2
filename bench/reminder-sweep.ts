/**
 * Reminder sweep benchmark: how many Asana requests one daily sweep costs, against the floor of one
 * paged read (100 tasks a page) per person, and whether it stays inside the per-minute budget.
 *
 * It runs the real bridge (gateway, limiter, pacer, sweeper, Slack client) against the fake Asana and
 * fake Slack servers on 127.0.0.1, on a virtual clock, so a sweep that takes minutes of Asana budget
 * runs in seconds while every timestamp reads as real time. Nothing leaves the machine; the tokens are
 * the test dummies.
 */
import {
  type ReminderHarness,
  addPerson,
  enroll,
  startReminderHarness,
} from '../test/reminders/reminder-harness';

const MINUTE = 60_000;
/** 09:00 in New York on the benchmark's two days (EDT, UTC-4). */
const DAY_ONE = '2026-06-10';
const DAY_TWO = '2026-06-11';

export interface SweepScenario {
  people: number;
  tasksPerPerson: number;
  rateLimitPerMinute: number;
}

export interface SweepResult {
  label: string;
  people: number;
  tasksPerPerson: number;
  budget: number;
  floor: number;
  taskReads: number;
  /** Per-person `GET /workspaces/{ws}/users/{email}`. */
  mappingLookups: number;
  /** Pages of `GET /users?workspace=…`, which link up to 100 people each. */
  userListReads: number;
  otherAsana: number;
  perFloor: number;
  peakPerMinute: number;
  firstRead: string;
  lastRead: string;
  dms: number;
  lateDms: number;
  lastDm: string;
  slackUsersInfo: number;
  wallMs: number;
}

/** Runs a cold sweep (no Slack->Asana links stored yet) and the next day's warm one. */
export async function benchReminderSweep(scenario: SweepScenario): Promise<SweepResult[]> {
  const people = Array.from({ length: scenario.people }, (_, i) => ({
    id: `U_B${String(i).padStart(5, '0')}`,
    gid: String(1700000000000000 + i),
  }));
  const h = await startReminderHarness({
    start: `${DAY_ONE}T12:40:00Z`,
    rateLimitPerMinute: scenario.rateLimitPerMinute,
    logLevel: 'warn',
    seed: (asana, slack) => {
      for (const p of people) {
        addPerson(asana, slack, {
          ...p,
          tz: 'America/New_York',
          // A realistic spread: some overdue, some due today or tomorrow, most later.
          tasks: Array.from({ length: scenario.tasksPerPerson }, (_, k) => ({
            name: `Task ${k} for ${p.id}`,
            due_on: ['2026-06-01', DAY_ONE, DAY_TWO, '2026-06-20', '2026-07-01'][k % 5],
          })),
        });
      }
    },
  });
  try {
    await enroll(
      h,
      people.map((p) => ({ user: p.id, timeZone: 'America/New_York' })),
    );
    const floor = people.length * Math.max(1, Math.ceil(scenario.tasksPerPerson / 100));
    const cold = await sweepDay(h, DAY_ONE, 'cold (first sweep)', scenario, floor);
    const warm = await sweepDay(h, DAY_TWO, 'warm (next day)', scenario, floor);
    return [cold, warm];
  } finally {
    await h.close();
  }
}

/** Sweeps every virtual minute from 08:44 local until every DM is out (or 10:00), and counts. */
async function sweepDay(
  h: ReminderHarness,
  day: string,
  label: string,
  scenario: SweepScenario,
  floor: number,
): Promise<SweepResult> {
  const asanaFrom = h.asana.requests.length;
  const slackFrom = h.slack.calls.length;
  const dmsBefore = h.dms().length;
  const reminderAt = Date.parse(`${day}T13:00:00Z`);
  const started = performance.now();
  await h.tickEveryMinute(
    reminderAt - 16 * MINUTE,
    reminderAt + 60 * MINUTE,
    () => h.dms().length - dmsBefore >= scenario.people,
  );
  const wallMs = performance.now() - started;

  const requests = h.asana.requests.slice(asanaFrom);
  const times = h.asanaTimes.slice(asanaFrom);
  const taskReads = requests.filter((r) => r.path === '/tasks').length;
  const mappingLookups = requests.filter((r) => /^\/workspaces\/[^/]+\/users\//.test(r.path)).length;
  const userListReads = requests.filter((r) => r.path === '/users').length;
  const readTimes = times.filter((_, i) => requests[i].path === '/tasks');
  const dms = h.dms().slice(dmsBefore);
  const slackCalls = h.slack.calls.slice(slackFrom);
  return {
    label,
    people: scenario.people,
    tasksPerPerson: scenario.tasksPerPerson,
    budget: scenario.rateLimitPerMinute,
    floor,
    taskReads,
    mappingLookups,
    userListReads,
    otherAsana: requests.length - taskReads - mappingLookups - userListReads,
    perFloor: requests.length / floor,
    peakPerMinute: peakPerMinute(times),
    firstRead: clock(Math.min(...readTimes)),
    lastRead: clock(Math.max(...readTimes)),
    dms: dms.length,
    lateDms: dms.filter((d) => d.at >= reminderAt + MINUTE).length,
    lastDm: clock(Math.max(...dms.map((d) => d.at))),
    slackUsersInfo: slackCalls.filter((c) => c.method === 'users.info').length,
    wallMs,
  };
}

/** The most request starts within any 60-second window. */
function peakPerMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let hi = 0, lo = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= MINUTE) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}

/** Local New York wall time (EDT) of a virtual instant, HH:MM:SS. */
function clock(ms: number): string {
  return new Date(ms - 4 * 60 * MINUTE).toISOString().slice(11, 19);
}

export function formatSweepTable(results: SweepResult[]): string {
  const header =
    '| Sweep | People × tasks | Budget /min | Floor | Task reads | Mapping lookups | User list reads | Other | Asana total / floor | Peak /min (virtual) | Reads (local time) | DMs | Late (≥ 09:01) | Last DM | users.info | Wall time |';
  const rule = `|${header
    .split('|')
    .slice(1, -1)
    .map(() => '---')
    .join('|')}|`;
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${r.people} × ${r.tasksPerPerson} | ${r.budget} | ${r.floor} | ${r.taskReads} | ${r.mappingLookups} | ${r.userListReads} | ${r.otherAsana} | ${r.perFloor.toFixed(2)} | ${r.peakPerMinute} | ${r.firstRead}–${r.lastRead} | ${r.dms} | ${r.lateDms} | ${r.lastDm} | ${r.slackUsersInfo} | ${(r.wallMs / 1000).toFixed(1)} s |`,
  );
  return [header, rule, ...rows].join('\n');
}
