import { DateTime, IANAZone } from 'luxon';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/**
 * Zone arithmetic goes through Intl and costs a fraction of a millisecond; a sweep asks the same few
 * questions (this date, this time, this zone) for everyone each minute, so answers are remembered.
 */
const MEMO_LIMIT = 20_000;
const instants = new Map<string, number>();
const dates = new Map<string, string>();

function remember<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** A zone luxon knows, else UTC: a person whose Slack zone is odd or missing still gets reminders. */
export function safeZone(zone: string | null | undefined): string {
  return zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
}

/** The calendar date (YYYY-MM-DD) an instant falls on in a zone. */
export function localDate(instantMs: number, zone: string): string {
  // Offsets are whole minutes, so a local date never changes inside a UTC minute.
  const minute = Math.floor(instantMs / MINUTE_MS) * MINUTE_MS;
  return remember(
    dates,
    `${zone}|${minute}`,
    () => DateTime.fromMillis(minute, { zone: safeZone(zone) }).toISODate() as string,
  );
}

/** A calendar date `days` later (or earlier); plain date arithmetic, no zone involved. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() as string;
}

/**
 * The instant a wall-clock time `HH:MM` happens on a local date, with the rules a person expects:
 * - a time that happens twice (the repeated hour when clocks go back) is its first occurrence;
 * - a time that does not happen (the hour skipped when clocks go forward) moves to the first instant
 *   after the gap, so 02:30 on 2026-03-08 in New York is 03:00 EDT. luxon alone would say 03:30, which
 *   is half an hour later than anyone who set 02:30 would want.
 */
export function wallClockInstant(date: string, time: string, zone: string): number {
  return remember(instants, `${date}|${time}|${zone}`, () => computeWallClockInstant(date, time, zone));
}

function computeWallClockInstant(date: string, time: string, zone: string): number {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const tz = IANAZone.create(safeZone(zone));
  // The wall time read as if it were UTC; each offset the zone uses near it gives one candidate.
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsets = new Set([
    tz.offset(wallAsUtc - DAY_MS),
    tz.offset(wallAsUtc),
    tz.offset(wallAsUtc + DAY_MS),
  ]);
  const candidates = [...offsets].map((offset) => wallAsUtc - offset * MINUTE_MS);
  const real = candidates.filter((instant) => wallAsUtc - tz.offset(instant) * MINUTE_MS === instant);
  if (real.length > 0) return Math.min(...real);
  return firstInstantAfterGap(tz, Math.min(...candidates), Math.max(...candidates));
}

/**
 * The transition instant between `before` (old offset) and `after` (new offset): the first moment
 * the clock shows a time after the gap. Transitions fall on whole seconds, so a search to the
 * millisecond ends on the exact instant.
 */
function firstInstantAfterGap(tz: IANAZone, before: number, after: number): number {
  const oldOffset = tz.offset(before);
  let lo = before;
  let hi = after;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (tz.offset(mid) === oldOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}
