import { UserInputError } from '../../src/errors';
import { parseClockTime, parseDuration, parseRemindArgs } from '../../src/reminders/remind-args';

describe('parseRemindArgs', () => {
  it('reads show, on, off, at and before', () => {
    expect(parseRemindArgs('')).toEqual({ kind: 'show' });
    expect(parseRemindArgs('  ON ')).toEqual({ kind: 'on' });
    expect(parseRemindArgs('off')).toEqual({ kind: 'off' });
    expect(parseRemindArgs('at 08:30')).toEqual({ kind: 'at', time: '08:30' });
    expect(parseRemindArgs('at 8:30 PM')).toEqual({ kind: 'at', time: '20:30' });
    expect(parseRemindArgs('07:15')).toEqual({ kind: 'at', time: '07:15' });
    expect(parseRemindArgs('before 15m')).toEqual({ kind: 'before', minutes: 15 });
    expect(parseRemindArgs('before 1h 30m')).toEqual({ kind: 'before', minutes: 90 });
    expect(parseRemindArgs('before off')).toEqual({ kind: 'before', minutes: 0 });
  });

  it.each([
    ['at 25:00', "“25:00” isn't a time of day"],
    ['at 12:60', "“12:60” isn't a time of day"],
    ['at 13pm', "“13pm” isn't a time of day"],
    ['at', "“” isn't a time of day"],
    ['at <!channel>', "“@channel” isn't a time of day"],
    ['at R&amp;D', "“r&d” isn't a time of day"],
    ['before soon', "“soon” isn't a length of time"],
    ['before -5m', "isn't a length of time"],
    ['before 25h', 'The most is 24 hours'],
    ['tomorrow', "I don't understand “tomorrow”"],
  ])('refuses %j with a hint', (input, message) => {
    expect(() => parseRemindArgs(input)).toThrow(UserInputError);
    expect(() => parseRemindArgs(input)).toThrow(message);
  });
});

describe('parseClockTime and parseDuration', () => {
  it('read the usual forms', () => {
    expect(parseClockTime('12am')).toBe('00:00');
    expect(parseClockTime('12pm')).toBe('12:00');
    expect(parseClockTime('9 a.m.')).toBe('09:00');
    expect(parseClockTime('8')).toBeUndefined();
    expect(parseDuration('45')).toBe(45);
    expect(parseDuration('2 hours')).toBe(120);
    expect(parseDuration('10 minutes')).toBe(10);
    expect(parseDuration('m')).toBeUndefined();
  });
});
