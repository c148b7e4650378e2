import { isFresh, planReminders, type TaskSnapshot } from '../../src/reminders/reminder-plan';
import type { Task } from '../../src/services/asana/types';
import type { ReminderSettings } from '../../src/store/store';

const MINUTE = 60_000;

function settings(overrides: Partial<ReminderSettings> = {}): ReminderSettings {
  return {
    slackUserId: 'U1',
    enabled: true,
    time: '09:00',
    beforeMinutes: 30,
    timeZone: 'America/New_York',
    optedInAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function task(overrides: Partial<Task>): Task {
  return {
    gid: '1',
    name: 'A task',
    notes: '',
    completed: false,
    dueOn: null,
    dueAt: null,
    assignee: null,
    projects: [],
    sections: [],
    permalinkUrl: 'https://app.asana.com/0/0/1',
    ...overrides,
  };
}

/** Every minute in [from, to) at which the plan first shows each daily key as due. */
function dailyFirings(s: ReminderSettings, from: string, to: string): string[] {
  const seen = new Map<string, number>();
  for (let t = Date.parse(from); t < Date.parse(to); t += MINUTE) {
    const daily = planReminders(s, undefined, t).daily;
    if (daily && !seen.has(daily.key)) seen.set(daily.key, t);
  }
  return [...seen.entries()].map(([key, t]) => `${key}@${new Date(t).toISOString().slice(0, 16)}`);
}

describe('planReminders: daily', () => {
  it('makes 09:00 due once a day, minute by minute across the spring-forward day', () => {
    expect(dailyFirings(settings(), '2026-03-07T05:00:00Z', '2026-03-10T05:00:00Z')).toEqual([
      'daily:U1:2026-03-07@2026-03-07T14:00',
      'daily:U1:2026-03-08@2026-03-08T13:00',
      'daily:U1:2026-03-09@2026-03-09T13:00',
    ]);
  });

  it('makes 09:00 due once a day across the fall-back day', () => {
    expect(dailyFirings(settings(), '2026-10-31T04:00:00Z', '2026-11-03T05:00:00Z')).toEqual([
      'daily:U1:2026-10-31@2026-10-31T13:00',
      'daily:U1:2026-11-01@2026-11-01T14:00',
      'daily:U1:2026-11-02@2026-11-02T14:00',
    ]);
  });

  it('sends a time in the skipped hour at 03:00, and one in the repeated hour once, at its first occurrence', () => {
    expect(dailyFirings(settings({ time: '02:30' }), '2026-03-08T05:00:00Z', '2026-03-09T05:00:00Z')).toEqual(
      ['daily:U1:2026-03-08@2026-03-08T07:00'],
    );
    expect(dailyFirings(settings({ time: '01:30' }), '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z')).toEqual(
      ['daily:U1:2026-11-01@2026-11-01T05:30'],
    );
  });

  it('keeps a missed daily due until the local day ends, never into the next one', () => {
    const s = settings();
    const at3pm = planReminders(s, undefined, Date.parse('2026-06-10T19:00:00Z'));
    expect(at3pm.daily?.key).toBe('daily:U1:2026-06-10');
    expect(new Date(at3pm.daily!.relevantUntil).toISOString()).toBe('2026-06-11T04:00:00.000Z');
    const atMidnight = planReminders(s, undefined, Date.parse('2026-06-11T04:00:00Z'));
    expect(atMidnight.daily).toBeUndefined();
    expect(new Date(atMidnight.nextAt).toISOString()).toBe('2026-06-11T13:00:00.000Z');
  });

  it('does not make today due for someone who opted in after today’s time', () => {
    const s = settings({ optedInAt: '2026-06-10T15:00:00.000Z' });
    const plan = planReminders(s, undefined, Date.parse('2026-06-10T15:01:00Z'));
    expect(plan.daily).toBeUndefined();
    expect(new Date(plan.nextAt).toISOString()).toBe('2026-06-11T13:00:00.000Z');
  });
});

describe('planReminders: before due', () => {
  const snapshot = (tasks: Task[]): TaskSnapshot => ({ fetchedAt: 0, asanaUserGid: 'A1', tasks });
  const due = task({ gid: '7', dueAt: '2026-06-10T19:00:00.000Z' });

  it('is due from beforeMinutes ahead until the due time, and names the next instant before that', () => {
    const s = settings();
    expect(planReminders(s, snapshot([due]), Date.parse('2026-06-10T18:29:00Z')).beforeDue).toEqual([]);
    expect(
      new Date(planReminders(s, snapshot([due]), Date.parse('2026-06-10T18:00:00Z')).nextAt).toISOString(),
    ).toBe('2026-06-10T18:30:00.000Z');
    const at = planReminders(s, snapshot([due]), Date.parse('2026-06-10T18:30:00Z')).beforeDue;
    expect(at.map((b) => b.key)).toEqual(['due:U1:7:2026-06-10T19:00:00.000Z']);
    expect(planReminders(s, snapshot([due]), Date.parse('2026-06-10T19:00:00Z')).beforeDue).toEqual([]);
  });

  it('is off at 0 minutes, and ignores completed and date-only tasks', () => {
    expect(
      planReminders(settings({ beforeMinutes: 0 }), snapshot([due]), Date.parse('2026-06-10T18:45:00Z'))
        .beforeDue,
    ).toEqual([]);
    const others = [
      task({ gid: '8', dueOn: '2026-06-10' }),
      task({ gid: '9', dueAt: due.dueAt, completed: true }),
    ];
    expect(planReminders(settings(), snapshot(others), Date.parse('2026-06-10T18:45:00Z')).beforeDue).toEqual(
      [],
    );
  });
});

describe('isFresh', () => {
  it('accepts a read from within the lookahead before the instant (or now, if later)', () => {
    const s = { fetchedAt: Date.parse('2026-06-10T12:45:00Z'), asanaUserGid: 'A', tasks: [] };
    const at = Date.parse('2026-06-10T13:00:00Z');
    expect(isFresh(s, at, at - 20 * MINUTE, 15 * MINUTE)).toBe(true);
    expect(isFresh(s, at, at + 1 * MINUTE, 15 * MINUTE)).toBe(false);
    expect(isFresh(undefined, at, at, 15 * MINUTE)).toBe(false);
  });
});
