import { addDays, localDate, safeZone, wallClockInstant } from '../../src/reminders/local-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('wallClockInstant', () => {
  it('reads an ordinary wall time with the offset of that day', () => {
    expect(iso(wallClockInstant('2026-03-07', '09:00', 'America/New_York'))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(wallClockInstant('2026-03-09', '09:00', 'America/New_York'))).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(wallClockInstant('2026-03-01', '09:00', 'Asia/Kolkata'))).toBe('2026-03-01T03:30:00.000Z');
  });

  it('keeps 09:00 at 09:00 on the DST days themselves', () => {
    expect(iso(wallClockInstant('2026-03-08', '09:00', 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(wallClockInstant('2026-11-01', '09:00', 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
  });

  it('moves a time in the skipped hour to the first minute after the gap, not forward by the gap', () => {
    // luxon alone gives 03:30 EDT (07:30Z) for 02:30 on this day.
    expect(iso(wallClockInstant('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(wallClockInstant('2026-03-08', '02:00', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(wallClockInstant('2026-03-08', '02:59', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(wallClockInstant('2026-03-08', '03:00', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(wallClockInstant('2026-03-29', '02:30', 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    // Lord Howe Island's DST gap is half an hour: 02:00-02:30 is skipped.
    expect(iso(wallClockInstant('2026-10-04', '02:15', 'Australia/Lord_Howe'))).toBe(
      '2026-10-03T15:30:00.000Z',
    );
  });

  it('takes the first of a repeated wall time', () => {
    expect(iso(wallClockInstant('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(wallClockInstant('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(wallClockInstant('2026-04-05', '02:30', 'Australia/Sydney'))).toBe('2026-04-04T15:30:00.000Z');
  });

  it('falls back to UTC for a zone it does not know', () => {
    expect(safeZone('Mars/Olympus')).toBe('UTC');
    expect(safeZone(null)).toBe('UTC');
    expect(iso(wallClockInstant('2026-03-01', '09:00', 'Mars/Olympus'))).toBe('2026-03-01T09:00:00.000Z');
  });
});

describe('localDate and addDays', () => {
  it('give the calendar date in the zone and plain date arithmetic', () => {
    expect(localDate(Date.parse('2026-03-08T04:59:00Z'), 'America/New_York')).toBe('2026-03-07');
    expect(localDate(Date.parse('2026-03-08T05:00:00Z'), 'America/New_York')).toBe('2026-03-08');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
  });
});
