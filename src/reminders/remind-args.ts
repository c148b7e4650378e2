import { UserInputError } from '../errors';
import { slackToPlainText } from '../text/slack-text';
import { truncate } from '../text/truncate';

/** What `/asana remind …` asks for. */
export type RemindRequest =
  | { kind: 'show' }
  | { kind: 'on' }
  | { kind: 'off' }
  | { kind: 'at'; time: string }
  | { kind: 'before'; minutes: number };

/** A before-due reminder a full day ahead is the most that still reads as "shortly before". */
const MAX_BEFORE_MINUTES = 24 * 60;

const USAGE =
  'Try `/asana remind` (your settings), `/asana remind at 08:30`, `/asana remind before 15m`, ' +
  '`/asana remind off` or `/asana remind on`.';

/**
 * Reads the text after `/asana remind`. Times are 24-hour `HH:MM` (`8:30` too) or 12-hour with am/pm
 * (`8am`, `8:30 pm`); before-due offsets are minutes or hours (`15m`, `15 min`, `1h`, `1h30m`, `90`),
 * and `before off` (or `0`) turns the before-due reminder off. Anything else is refused with a hint.
 */
export function parseRemindArgs(args: string): RemindRequest {
  const text = args.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '' || text === 'show' || text === 'settings' || text === 'status') return { kind: 'show' };
  if (text === 'on' || text === 'enable') return { kind: 'on' };
  if (text === 'off' || text === 'disable' || text === 'stop') return { kind: 'off' };

  const [word, ...rest] = text.split(' ');
  const value = rest.join(' ');
  if (word === 'at') {
    const time = parseClockTime(value);
    if (!time) {
      throw new UserInputError(
        `${quote(value)} isn't a time of day. Use 24-hour \`HH:MM\` (e.g. \`/asana remind at 08:30\`) ` +
          'or 12-hour with am/pm (`8:30am`).',
      );
    }
    return { kind: 'at', time };
  }
  if (word === 'before') {
    const minutes = parseDuration(value);
    if (minutes === undefined) {
      throw new UserInputError(
        `${quote(value)} isn't a length of time. Write minutes or hours, e.g. \`/asana remind before 15m\` ` +
          'or `before 1h`; `before off` turns these reminders off.',
      );
    }
    if (minutes > MAX_BEFORE_MINUTES) {
      throw new UserInputError('The most is 24 hours before, e.g. `/asana remind before 24h`.');
    }
    return { kind: 'before', minutes };
  }
  // A bare time (`/asana remind 08:30`) is clear enough to accept.
  const bare = parseClockTime(text);
  if (bare) return { kind: 'at', time: bare };
  throw new UserInputError(`I don't understand ${quote(text)}. ${USAGE}`);
}

/** `08:30`, `8:30`, `8am`, `8:30 pm`, `12am` -> 'HH:MM'; undefined when it is not a real time. */
export function parseClockTime(text: string): string | undefined {
  const match = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3]?.replace(/\./g, '');
  // Without am/pm a bare number needs its minutes: `8` alone is too easy to mean something else.
  if (!half && match[2] === undefined) return undefined;
  if (minute > 59) return undefined;
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return undefined;
  }
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** `15m`, `15 min`, `1h`, `1 hour`, `1h30m`, `90`, `0`, `off` -> minutes; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none' || t === 'never') return 0;
  if (/^\d+$/.test(t)) return Number(t);
  const match = /^(?:(\d+)\s*(?:h|hr|hrs|hour|hours))?\s*(?:(\d+)\s*(?:m|min|mins|minute|minutes))?$/.exec(t);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** What the person typed, decoded: the message is escaped once, where it is rendered. */
function quote(text: string): string {
  return `“${truncate(slackToPlainText(text), 40)}”`;
}
