import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatDueForSlack, parseDue } from '../../src/dates/parse-due';
import { UserInputError } from '../../src/errors';

const LA = 'America/Los_Angeles';

/** The instant when the wall clock in `zone` shows `local` (ISO without offset). */
function at(local: string, zone: string): Date {
  return DateTime.fromISO(local, { zone }).toJSDate();
}

function dueOn(text: string, now: Date, timeZone = LA): string {
  const due = parseDue(text, { timeZone, now });
  if (due.kind !== 'date') throw new Error(`expected a date, got ${JSON.stringify(due)}`);
  return due.dueOn;
}

function dueAt(text: string, now: Date, timeZone = LA): string {
  const due = parseDue(text, { timeZone, now });
  if (due.kind !== 'datetime') throw new Error(`expected a datetime, got ${JSON.stringify(due)}`);
  return due.dueAt;
}

function refusal(text: string, now: Date, timeZone = LA): string {
  try {
    parseDue(text, { timeZone, now });
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

// Friday 2026-12-04 in Los Angeles at three times of day; at 23:30 it is already Saturday in UTC.
const FRI_MORNING = at('2026-12-04T09:00', LA);
const FRI_LATE = at('2026-12-04T23:30', LA);
const MON = at('2026-12-07T10:00', LA);
const SAT = at('2026-12-05T10:00', LA);

describe('parseDue: ISO dates (C17)', () => {
  it('accepts a real calendar date, including a leap day in a leap year', () => {
    expect(parseDue('2024-02-29', { timeZone: LA, now: FRI_MORNING })).toEqual({
      kind: 'date',
      dueOn: '2024-02-29',
    });
    expect(dueOn('2026-12-31', FRI_MORNING)).toBe('2026-12-31');
  });

  it('refuses impossible dates instead of rolling them over', () => {
    expect(refusal('2024-02-30', FRI_MORNING)).toMatch(/There is no 2024-02-30: February 2024 has 29 days/);
    expect(refusal('2023-02-29', FRI_MORNING)).toMatch(/February 2023 has 28 days/);
    expect(refusal('2024-04-31', FRI_MORNING)).toMatch(/April 2024 has 30 days/);
    expect(refusal('2024-13-01', FRI_MORNING)).toMatch(/no month 13/);
    expect(refusal('2024-00-10', FRI_MORNING)).toMatch(/no month 0/);
  });

  it('names the accepted forms when refusing', () => {
    expect(refusal('2024-02-30', FRI_MORNING)).toContain('`YYYY-MM-DD` (e.g. `2026-12-05`)');
  });

  it('accepts an ISO date with a time in the person’s zone', () => {
    expect(dueAt('2026-12-05 15:00', FRI_MORNING)).toBe('2026-12-05T23:00:00.000Z');
    expect(dueAt('2026-12-05 at 3pm', FRI_MORNING)).toBe('2026-12-05T23:00:00.000Z');
    expect(dueAt('2026-12-05T15:00', FRI_MORNING)).toBe('2026-12-05T23:00:00.000Z');
    expect(dueAt('2026-12-05T15:00:00Z', FRI_MORNING)).toBe('2026-12-05T15:00:00.000Z');
  });

  it('refuses an ISO date followed by something that is not a time', () => {
    expect(refusal('2026-12-05 friday', FRI_MORNING)).toMatch(/can't read the time/);
    expect(refusal('2026-02-30 3pm', FRI_MORNING)).toMatch(/There is no 2026-02-30/);
  });

  it('accepts past ISO dates, since the year was typed on purpose', () => {
    expect(dueOn('2020-01-15', FRI_MORNING)).toBe('2020-01-15');
  });
});

describe('parseDue: relative words in the person’s zone', () => {
  it('resolves today and tomorrow on the person’s calendar, not UTC’s', () => {
    // 23:30 on Dec 4 in Los Angeles is 07:30 on Dec 5 in UTC.
    expect(FRI_LATE.toISOString()).toBe('2026-12-05T07:30:00.000Z');
    expect(dueOn('today', FRI_LATE)).toBe('2026-12-04');
    expect(dueOn('tomorrow', FRI_LATE)).toBe('2026-12-05');
    expect(dueOn('Today', FRI_LATE, 'UTC')).toBe('2026-12-05');
  });

  it('resolves today ahead of UTC too', () => {
    // 05:00 on Dec 5 in Tokyo is still Dec 4 in UTC.
    expect(dueOn('today', at('2026-12-05T05:00', 'Asia/Tokyo'), 'Asia/Tokyo')).toBe('2026-12-05');
  });

  it('counts days', () => {
    expect(dueOn('in 3 days', FRI_LATE)).toBe('2026-12-07');
    expect(dueOn('in 2 weeks', FRI_MORNING)).toBe('2026-12-18');
  });

  it('takes a bare weekday as the coming one, today included, whatever the hour', () => {
    for (const now of [FRI_MORNING, FRI_LATE]) {
      expect(dueOn('friday', now)).toBe('2026-12-04');
      expect(dueOn('fri', now)).toBe('2026-12-04');
      expect(dueOn('FRI', now)).toBe('2026-12-04');
      expect(dueOn('thursday', now)).toBe('2026-12-10');
      expect(dueOn('monday', now)).toBe('2026-12-07');
    }
    expect(dueOn('friday', MON)).toBe('2026-12-11');
    expect(dueOn('friday', SAT)).toBe('2026-12-11');
    expect(dueOn('on friday', SAT)).toBe('2026-12-11');
    expect(dueOn('by friday', SAT)).toBe('2026-12-11');
  });

  it('takes "next <weekday>" as that day of the following Monday-to-Sunday week', () => {
    expect(dueOn('next fri', FRI_MORNING)).toBe('2026-12-11');
    expect(dueOn('next friday', MON)).toBe('2026-12-18');
    expect(dueOn('next friday', SAT)).toBe('2026-12-11');
    expect(dueOn('next monday', FRI_MORNING)).toBe('2026-12-07');
  });

  it('takes "this <weekday>" as the one in the current week', () => {
    expect(dueOn('this friday', MON)).toBe('2026-12-11');
    expect(dueOn('this friday', FRI_LATE)).toBe('2026-12-04');
  });

  it('takes a month and day as the next one that is not in the past', () => {
    expect(dueOn('dec 5', FRI_MORNING)).toBe('2026-12-05');
    expect(dueOn('dec 4', FRI_LATE)).toBe('2026-12-04');
    expect(dueOn('dec 3', FRI_MORNING)).toBe('2027-12-03');
    expect(dueOn('December 25th', FRI_MORNING)).toBe('2026-12-25');
    expect(dueOn('jan 2', FRI_MORNING)).toBe('2027-01-02');
    expect(dueOn('5 jan 2027', FRI_MORNING)).toBe('2027-01-05');
  });

  it('gives a date, not a datetime, when no time is named', () => {
    expect(parseDue('tomorrow', { timeZone: LA, now: FRI_MORNING }).kind).toBe('date');
    expect(parseDue('tonight', { timeZone: LA, now: FRI_MORNING })).toEqual({
      kind: 'date',
      dueOn: '2026-12-04',
    });
  });
});

describe('parseDue: times', () => {
  it('converts a weekday and time in the person’s zone to UTC', () => {
    expect(dueAt('friday 3pm', FRI_MORNING)).toBe('2026-12-04T23:00:00.000Z');
    expect(dueAt('fri at 3:30 pm', SAT)).toBe('2026-12-11T23:30:00.000Z');
    expect(dueAt('tomorrow 9am', FRI_LATE)).toBe('2026-12-05T17:00:00.000Z');
    expect(dueAt('friday 3pm', at('2026-12-04T09:00', 'Europe/Berlin'), 'Europe/Berlin')).toBe(
      '2026-12-04T14:00:00.000Z',
    );
  });

  it('keeps a weekday’s date even when its time has passed today', () => {
    expect(dueAt('friday 3pm', FRI_LATE)).toBe('2026-12-04T23:00:00.000Z');
  });

  it('takes a time alone as its next occurrence', () => {
    expect(dueAt('3pm', FRI_MORNING)).toBe('2026-12-04T23:00:00.000Z');
    expect(dueAt('3pm', FRI_LATE)).toBe('2026-12-05T23:00:00.000Z');
    expect(dueAt('at noon', FRI_MORNING)).toBe('2026-12-04T20:00:00.000Z');
  });

  it('uses the zone’s offset on the due day, not today’s (DST ends 2026-11-01 in Los Angeles)', () => {
    const friBeforeChange = at('2026-10-30T12:00', LA);
    expect(dueAt('tomorrow 3pm', friBeforeChange)).toBe('2026-10-31T22:00:00.000Z'); // PDT, UTC-7
    expect(dueAt('next monday 3pm', friBeforeChange)).toBe('2026-11-02T23:00:00.000Z'); // PST, UTC-8
    expect(dueAt('2026-11-02 15:00', friBeforeChange)).toBe('2026-11-02T23:00:00.000Z');
  });

  it('handles the spring-forward change too (DST starts 2026-03-29 in Berlin)', () => {
    const fri = at('2026-03-27T10:00', 'Europe/Berlin');
    expect(dueAt('tomorrow 9am', fri, 'Europe/Berlin')).toBe('2026-03-28T08:00:00.000Z'); // CET
    expect(dueAt('monday 9am', fri, 'Europe/Berlin')).toBe('2026-03-30T07:00:00.000Z'); // CEST
  });

  it('moves a time skipped by DST forward by the gap', () => {
    // 02:30 does not exist in Los Angeles on 2026-03-08; luxon moves it to 03:30 PDT.
    expect(dueAt('2026-03-08 2:30am', at('2026-03-01T12:00', LA))).toBe('2026-03-08T10:30:00.000Z');
  });

  it('takes a time that happens twice on the fall-back day as the standard-time one', () => {
    // 01:30 happens at 08:30Z (PDT) and again at 09:30Z (PST) in Los Angeles on 2026-11-01.
    expect(dueAt('2026-11-01 1:30am', at('2026-10-30T12:00', LA))).toBe('2026-11-01T09:30:00.000Z');
  });

  it('counts "in N hours" as elapsed time across a DST change', () => {
    const beforeFallBack = new Date('2026-11-01T07:30:00Z'); // 00:30 PDT; clocks go back at 09:00Z
    expect(dueAt('in 3 hours', beforeFallBack)).toBe('2026-11-01T10:30:00.000Z');
  });
});

describe('parseDue: refusals', () => {
  it('refuses ambiguous numeric dates and says how to write them', () => {
    for (const text of ['12/5', '5/12/2026', '5-12', '5.12.2026']) {
      expect(refusal(text, FRI_MORNING)).toMatch(/month\/day or day\/month.*`YYYY-MM-DD`.*`dec 5`/);
    }
  });

  it('accepts year-first numeric dates, which are not ambiguous', () => {
    expect(dueOn('2026/12/05', FRI_MORNING)).toBe('2026-12-05');
  });

  it('refuses dates that are already over unless the year is written out', () => {
    expect(refusal('yesterday', FRI_LATE)).toMatch(/in the past \(Thu, Dec 3\).*`2026-12-03`/);
    expect(refusal('last friday', FRI_MORNING)).toMatch(/in the past \(Fri, Nov 27\)/);
    expect(refusal('2 days ago', FRI_MORNING)).toMatch(/in the past/);
    expect(dueOn('feb 29 2024', FRI_MORNING)).toBe('2024-02-29');
  });

  it('refuses text that is not entirely a date', () => {
    expect(refusal('friday foo', FRI_MORNING)).toMatch(/can't read “friday foo” as a due date/);
    expect(refusal('soonish', FRI_MORNING)).toMatch(/can't read “soonish”/);
    expect(refusal('feb 30', FRI_MORNING)).toMatch(/can't read/);
  });

  it('refuses ranges and several dates', () => {
    expect(refusal('dec 5 - dec 7', FRI_MORNING)).toMatch(/one due date/);
    expect(refusal('friday and monday', FRI_MORNING)).toMatch(/one due date/);
  });

  it('refuses empty text', () => {
    expect(refusal('  ', FRI_MORNING)).toMatch(/Give a due date/);
  });

  it('keeps long input short when quoting it back', () => {
    const message = refusal('x'.repeat(500), FRI_MORNING);
    expect(message.length).toBeLessThan(400);
  });
});

describe('parseDue: zones', () => {
  it('falls back to UTC for a zone it does not know', () => {
    expect(dueOn('today', FRI_LATE, 'Not/AZone')).toBe('2026-12-05');
    expect(dueAt('tomorrow 9am', FRI_LATE, '')).toBe('2026-12-06T09:00:00.000Z');
  });

  const zones = fc.constantFrom(
    'UTC',
    LA,
    'America/New_York',
    'Europe/Berlin',
    'Asia/Tokyo',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
  );
  const instants = fc.date({
    min: new Date('2001-01-01T00:00:00Z'),
    max: new Date('2098-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('resolves today, tomorrow and in N days on the person’s calendar', () => {
    fc.assert(
      fc.property(zones, instants, fc.integer({ min: 2, max: 60 }), (zone, now, n) => {
        const today = DateTime.fromJSDate(now, { zone });
        expect(dueOn('today', now, zone)).toBe(today.toISODate());
        expect(dueOn('tomorrow', now, zone)).toBe(today.plus({ days: 1 }).toISODate());
        expect(dueOn(`in ${n} days`, now, zone)).toBe(today.plus({ days: n }).toISODate());
      }),
      { numRuns: 200 },
    );
  });

  it('resolves a bare weekday to the right day within the coming week', () => {
    const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
    fc.assert(
      fc.property(zones, instants, fc.integer({ min: 0, max: 6 }), (zone, now, index) => {
        const today = DateTime.fromJSDate(now, { zone }).startOf('day');
        const due = DateTime.fromISO(dueOn(weekdays[index], now, zone), { zone });
        const ahead = due.diff(today, 'days').days;
        expect(due.weekday).toBe(index + 1);
        expect(ahead).toBeGreaterThanOrEqual(0);
        expect(ahead).toBeLessThan(7);
      }),
      { numRuns: 200 },
    );
  });

  it('never rolls an ISO date over', () => {
    fc.assert(
      fc.property(
        // Up to the ten-year horizon from FRI_MORNING; later dates are refused for being too far.
        fc.integer({ min: 1000, max: 2034 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const real = DateTime.fromObject({ year, month, day }, { zone: 'UTC' }).isValid;
          if (real) expect(dueOn(text, FRI_MORNING)).toBe(text);
          else expect(refusal(text, FRI_MORNING)).toMatch(/There is no/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('parseDue: horizon', () => {
  it('refuses dates more than ten years ahead, however written', () => {
    expect(refusal('in 999999 days', FRI_MORNING)).toMatch(/more than 10 years away/);
    expect(refusal('9999-12-31', FRI_MORNING)).toMatch(/more than 10 years away/);
  });
});

describe('formatDueForSlack', () => {
  const now = new Date('2025-11-20T12:00:00Z');

  it('formats a date', () => {
    expect(formatDueForSlack({ kind: 'date', dueOn: '2025-12-05' }, LA)).toBe('Fri, Dec 5');
  });

  it('formats a datetime in the reader’s zone', () => {
    const due = { kind: 'datetime', dueAt: '2025-12-05T23:00:00.000Z' } as const;
    expect(formatDueForSlack(due, LA)).toBe('Fri, Dec 5 at 3:00 PM');
    expect(formatDueForSlack(due, 'Europe/Berlin')).toBe('Sat, Dec 6 at 12:00 AM');
  });

  it('adds the year when it is not the current one', () => {
    expect(formatDueForSlack({ kind: 'date', dueOn: '2025-12-05' }, LA, now)).toBe('Fri, Dec 5');
    expect(formatDueForSlack({ kind: 'date', dueOn: '2026-01-09' }, LA, now)).toBe('Fri, Jan 9, 2026');
  });

  it('falls back to UTC for an unknown zone and to the raw value when it cannot read it', () => {
    expect(formatDueForSlack({ kind: 'datetime', dueAt: '2025-12-05T23:00:00.000Z' }, 'Bogus/Zone')).toBe(
      'Fri, Dec 5 at 11:00 PM',
    );
    expect(formatDueForSlack({ kind: 'date', dueOn: 'not-a-date' }, LA)).toBe('not-a-date');
  });

  it('formats what parseDue returns', () => {
    const due = parseDue('friday 3pm', { timeZone: LA, now: at('2025-12-01T09:00', LA) });
    expect(formatDueForSlack(due, LA)).toBe('Fri, Dec 5 at 3:00 PM');
  });
});
