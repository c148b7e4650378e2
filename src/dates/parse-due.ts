import * as chrono from 'chrono-node';
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';
import { UserInputError } from '../errors';
import { truncate } from '../text/truncate';

/**
 * A due date as Asana takes it: `due_on` (a calendar day, the same day for everyone) or `due_at`
 * (an instant, UTC ISO 8601 with `Z`). Asana wants one or the other, never both.
 */
export type DueDate = { kind: 'date'; dueOn: string } | { kind: 'datetime'; dueAt: string };

export interface ParseDueOptions {
  /** The person's IANA zone, from Slack `users.info` `tz`; an unknown zone falls back to UTC. */
  timeZone: string;
  now: Date;
}

/** Longest piece of what the person typed that we quote back in an error. */
const ECHO_MAX = 60;

/** Year-first ISO calendar date, optionally followed by a time. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:(T.*)|\s+(.+))?$/i;

/**
 * Numeric day/month forms such as `12/5`, `5-12` or `5.12.2026`. Half the world reads them one way,
 * half the other (chrono reads them US-style), so we ask for an unambiguous form instead of guessing.
 * Year-first forms (`2026/12/05`, ISO) are not matched.
 */
const AMBIGUOUS_NUMERIC = /(?<![\d./-])\d{1,2}(?:[/-]\d{1,2}(?:[/-]\d{2,4})?|\.\d{1,2}\.\d{2,4})(?![\d./-])/;

/** Words people put around a date that add nothing: `by friday`, `on dec 5`, `friday, 3pm`. */
const FILLER = /^(?:\s|[,.!]|\b(?:on|by|at|the|due)\b)*$/i;

/** Modifiers after which chrono's own choice of week is what the person meant (`next fri`). */
const WEEKDAY_MODIFIER = /\b(?:next|last|past|this|previous|coming)\b/i;

function resolveZone(timeZone: string): string {
  return IANAZone.isValidZone(timeZone) ? timeZone : 'UTC';
}

/** What to type instead; the ISO example is tomorrow, so it is always a sensible date to copy. */
function acceptedForms(today: DateTime): string {
  const example = today.plus({ days: 1 }).toISODate();
  return (
    'Write the due date as `today`, `tomorrow`, a weekday (`friday`, `next fri`), `in 3 days`, `dec 5`, ' +
    `\`friday 3pm\` or \`YYYY-MM-DD\` (e.g. \`${example}\`).`
  );
}

function echo(text: string): string {
  return `“${truncate(text, ECHO_MAX)}”`;
}

/**
 * Thrown when the text is not a date at all, as opposed to a date that is refused (impossible, past,
 * too far): the `/asana create` grammar uses the difference to decide whether `due …` was meant.
 */
export class UnreadableDateError extends UserInputError {}

/**
 * Reads a due date the way a person types it in Slack. Every relative word (today, friday, in 3 days)
 * is resolved on the person's own calendar, and times are the person's wall-clock times converted to
 * UTC with the zone's rules for that day, so DST is handled.
 *
 * Decisions on ambiguous input:
 * - `friday` / `fri`: the coming Friday, today if today is Friday (even if it is late in the day).
 * - `next fri`: chrono's meaning, the Friday of next week (weeks start on Monday): said on a Friday it
 *   is 7 days later, on a Monday 11 days later, on a Saturday 6 days later. `this fri` is this week's.
 * - `dec 5` without a year: the next Dec 5 that is not before today.
 * - A time alone (`3pm`): today at that time, or tomorrow if it has passed.
 * - A date that is already over (`yesterday`, `last friday`) is refused, unless the year is written
 *   out (`2024-02-29`, `feb 29 2024`): that is deliberate, e.g. recording late work.
 * - `12/5`, `5-12`, `5.12.2026`: refused as ambiguous (month/day or day/month).
 * - A local time skipped by a DST change (02:30 on the spring-forward day) moves forward by the gap;
 *   one that happens twice (01:30 on the fall-back day) is the second, standard-time one. Both are
 *   luxon's rules.
 */
export function parseDue(text: string, options: ParseDueOptions): DueDate {
  const zone = resolveZone(options.timeZone);
  const now = DateTime.fromJSDate(options.now, { zone });
  const today = now.startOf('day');
  const input = text.trim().replace(/\s+/g, ' ');
  if (!input) throw new UserInputError(`Give a due date. ${acceptedForms(today)}`);

  const iso = ISO_DATE.exec(input);
  if (iso) return withinHorizon(parseIsoDate(input, iso, zone, now), input, zone, today);

  if (AMBIGUOUS_NUMERIC.test(input)) {
    throw new UserInputError(
      `I can't tell whether ${echo(input)} is month/day or day/month. Write it as \`YYYY-MM-DD\` ` +
        `(e.g. \`${today.plus({ days: 1 }).toISODate()}\`) or with the month's name (e.g. \`dec 5\`).`,
    );
  }

  const due = parseNatural(input, zone, now);
  const dueDay = due.kind === 'date' ? due.dueOn : DateTime.fromISO(due.dueAt, { zone }).toISODate();
  const yearWritten = /\b\d{4}\b/.test(input);
  if (dueDay !== null && dueDay < (today.toISODate() ?? '') && !yearWritten) {
    const day = DateTime.fromISO(dueDay, { zone }).setLocale('en-US').toFormat('ccc, LLL d');
    throw new UserInputError(
      `${echo(input)} is in the past (${day}). Pick today or a later day; to set a past date on purpose, ` +
        `write it with the year, e.g. \`${dueDay}\`.`,
    );
  }
  return withinHorizon(due, input, zone, today);
}

/** Years ahead a due date may be; `in 999999 days` is a slip of the keyboard, not a plan. */
const HORIZON_YEARS = 10;

function withinHorizon(due: DueDate, input: string, zone: string, today: DateTime): DueDate {
  const day = due.kind === 'date' ? due.dueOn : DateTime.fromISO(due.dueAt, { zone }).toISODate();
  const limit = today.plus({ years: HORIZON_YEARS }).toISODate();
  if (day && limit && day > limit) {
    throw new UserInputError(
      `${echo(input)} is more than ${HORIZON_YEARS} years away (${day}). Check the date.`,
    );
  }
  return due;
}

/** `YYYY-MM-DD`, `YYYY-MM-DD 3pm`, `YYYY-MM-DDT15:00`, checked as a real calendar date first. */
function parseIsoDate(input: string, match: RegExpExecArray, zone: string, now: DateTime): DueDate {
  const [, y, m, d, isoTime, spokenTime] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const date = input.slice(0, 10);
  // JS Date would quietly roll 2024-02-30 over to March 1st; luxon reports it as invalid instead.
  if (month < 1 || month > 12) {
    throw new UserInputError(`There is no month ${month} in ${date}. ${acceptedForms(now.startOf('day'))}`);
  }
  const calendarDay = DateTime.fromObject({ year, month, day }, { zone });
  if (!calendarDay.isValid) {
    const monthStart = DateTime.fromObject({ year, month, day: 1 }, { zone }).setLocale('en-US');
    throw new UserInputError(
      `There is no ${date}: ${monthStart.toFormat('LLLL yyyy')} has ${monthStart.daysInMonth} days. ` +
        acceptedForms(now.startOf('day')),
    );
  }

  if (isoTime !== undefined) {
    const instant = DateTime.fromISO(input, { zone });
    if (!instant.isValid) {
      throw new UserInputError(`I can't read the time in ${echo(input)}. Write it like \`${date} 15:00\`.`);
    }
    return datetime(instant);
  }
  if (spokenTime !== undefined) {
    const time = parseTimeOfDay(spokenTime, now);
    if (!time) {
      throw new UserInputError(`I can't read the time in ${echo(input)}. Write it like \`${date} 3pm\`.`);
    }
    return datetime(atWallClock(calendarDay, time.hour, time.minute));
  }
  return { kind: 'date', dueOn: date };
}

/** A bare time of day (`3pm`, `15:30`, `at noon`), or null when the text is anything else. */
function parseTimeOfDay(text: string, now: DateTime): { hour: number; minute: number } | null {
  const result = wholeText(text, chronoParse(text, now));
  if (!result) return null;
  const start = result.start;
  const hasDate = (['year', 'month', 'day', 'weekday'] as const).some((c) => start.isCertain(c));
  if (hasDate || !start.isCertain('hour')) return null;
  return { hour: start.get('hour') ?? 0, minute: start.get('minute') ?? 0 };
}

/** chrono's reading of `text` on the person's calendar. */
function chronoParse(text: string, now: DateTime): chrono.ParsedResult[] {
  // forwardDate stays off: chrono compares a zone-shifted wall clock with a real instant there, so its
  // choice between this week and next would depend on the hour. We move dates forward ourselves.
  return chrono.parse(text, { instant: now.toJSDate(), timezone: now.offset });
}

/**
 * The one result, if it covers the whole text apart from filler words. Anything left over would be
 * silently dropped otherwise: `friday foo` must not quietly mean `friday`.
 */
function wholeText(text: string, results: chrono.ParsedResult[]): chrono.ParsedResult | null {
  if (results.length !== 1) return null;
  const [result] = results;
  const rest = text.slice(0, result.index) + text.slice(result.index + result.text.length);
  return FILLER.test(rest) ? result : null;
}

function parseNatural(input: string, zone: string, now: DateTime): DueDate {
  const today = now.startOf('day');
  const results = chronoParse(input, now);
  if (results.length > 1 || results[0]?.end) {
    throw new UserInputError(`Give one due date, not several or a range. ${acceptedForms(today)}`);
  }
  const result = wholeText(input, results);
  if (!result)
    throw new UnreadableDateError(`I can't read ${echo(input)} as a due date. ${acceptedForms(today)}`);

  const start = result.start;
  if (result.tags().has('result/relativeDateAndTime')) {
    // `in 3 hours` is elapsed time, so count it on the offset in force now, not on the target's wall clock.
    return datetime(DateTime.fromObject(componentsOf(start), { zone: FixedOffsetZone.instance(now.offset) }));
  }

  const hasTime = start.isCertain('hour');
  const hasDate = (['year', 'month', 'day', 'weekday'] as const).some((c) => start.isCertain(c));
  let day: DateTime | undefined;
  if (!hasDate) {
    day = today;
  } else if (start.isCertain('weekday') && !start.isCertain('day') && !WEEKDAY_MODIFIER.test(result.text)) {
    // A bare weekday: chrono picks the nearest one, even if it has passed; we want the coming one.
    // luxon weekdays run 1 (Mon) to 7 (Sun), chrono's 0 (Sun) to 6 (Sat).
    const wanted = (((start.get('weekday') ?? 0) + 6) % 7) + 1;
    day = today.plus({ days: (wanted - today.weekday + 7) % 7 });
  } else if (start.isCertain('month') && start.isCertain('day') && !start.isCertain('year')) {
    day = nextOccurrence(start.get('month') ?? 1, start.get('day') ?? 1, today);
  } else {
    day = DateTime.fromObject(
      { year: start.get('year') ?? 0, month: start.get('month') ?? 0, day: start.get('day') ?? 0 },
      { zone },
    );
  }
  if (!day?.isValid || day.year > 9999) {
    throw new UnreadableDateError(`I can't read ${echo(input)} as a due date. ${acceptedForms(today)}`);
  }

  if (!hasTime) return { kind: 'date', dueOn: day.toISODate() ?? '' };
  let instant = atWallClock(day, start.get('hour') ?? 0, start.get('minute') ?? 0);
  // A time alone means its next occurrence; luxon's day arithmetic keeps the wall-clock time across DST.
  if (!hasDate && instant < now) instant = instant.plus({ days: 1 });
  return datetime(instant);
}

/** The first month/day on or after `today`; a few years ahead at most, which covers Feb 29. */
function nextOccurrence(month: number, dayOfMonth: number, today: DateTime): DateTime | undefined {
  for (let year = today.year; year <= today.year + 8; year++) {
    const candidate = DateTime.fromObject({ year, month, day: dayOfMonth }, { zone: today.zone });
    if (candidate.isValid && candidate >= today) return candidate;
  }
  return undefined;
}

/**
 * The instant the person's clock shows `hour:minute` on `day`. Built from the fields rather than with
 * `day.set()`, which would keep midnight's offset and so pick a different instant on DST days.
 */
function atWallClock(day: DateTime, hour: number, minute: number): DateTime {
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: day.zone },
  );
}

function componentsOf(start: chrono.ParsedComponents) {
  return {
    year: start.get('year') ?? 0,
    month: start.get('month') ?? 1,
    day: start.get('day') ?? 1,
    hour: start.get('hour') ?? 0,
    minute: start.get('minute') ?? 0,
    second: start.get('second') ?? 0,
  };
}

function datetime(instant: DateTime): DueDate {
  return { kind: 'datetime', dueAt: instant.toUTC().toISO({ suppressMilliseconds: false }) ?? '' };
}

/**
 * A due date for a Slack message, in the reader's zone: `Fri, Dec 5` or `Fri, Dec 5 at 3:00 PM`.
 * Pass `now` to get the year added when the date is not in the current year.
 */
export function formatDueForSlack(due: DueDate, timeZone: string, now?: Date): string {
  const zone = resolveZone(timeZone);
  const value =
    due.kind === 'date'
      ? DateTime.fromISO(due.dueOn, { zone })
      : DateTime.fromISO(due.dueAt, { zone: 'utc' }).setZone(zone);
  if (!value.isValid) return due.kind === 'date' ? due.dueOn : due.dueAt;
  const local = value.setLocale('en-US');
  const thisYear = now ? DateTime.fromJSDate(now, { zone }).year : local.year;
  const day = local.toFormat(local.year === thisYear ? 'ccc, LLL d' : 'ccc, LLL d, yyyy');
  return due.kind === 'date' ? day : `${day} at ${local.toFormat('h:mm a')}`;
}
