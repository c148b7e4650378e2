import { LogLevel, type Logger } from '@slack/bolt';
import type winston from 'winston';

type BoltLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * Turns Bolt's variadic arguments into one entry: text parts (strings and other primitives) joined
 * into the message, the first Error kept whole under `error` (stack and cause included), anything
 * else under `details` so the key-based redaction still sees its structure.
 */
function toEntry(args: unknown[]): { message: string; error?: Error; details?: unknown[] } {
  const words: string[] = [];
  const details: unknown[] = [];
  let error: Error | undefined;

  for (const arg of args) {
    if (arg instanceof Error && error === undefined) error = arg;
    else if (typeof arg === 'object' && arg !== null) details.push(arg);
    else words.push(String(arg));
  }

  return {
    // Bolt often logs a bare Error; its message then stands in for the missing text.
    message: words.length > 0 ? words.join(' ') : (error?.message ?? ''),
    ...(error && { error }),
    ...(details.length > 0 && { details }),
  };
}

/** Reports winston's level in Bolt's terms; winston's extra levels (http, verbose, silly) are all more verbose than info, so they count as debug. */
function boltLevelOf(level: string): LogLevel {
  switch (level) {
    case 'error':
      return LogLevel.ERROR;
    case 'warn':
      return LogLevel.WARN;
    case 'info':
      return LogLevel.INFO;
    default:
      return LogLevel.DEBUG;
  }
}

/**
 * Adapts a winston logger to the Logger interface Bolt (and its WebClient and Socket Mode client)
 * accept, so their lines share our sink, our fields and our redaction. Each line carries a
 * `component` field: 'bolt' until Bolt or a client names the logger with setName.
 *
 * setLevel is deliberately ignored: LOG_LEVEL is the only knob. Bolt calls setLevel from its
 * constructor (with INFO when the App gets no logLevel), and Bolt, WebClient and the Socket Mode
 * client share this one instance, so honouring it would let any of them silently raise or lower
 * what the operator configured. getLevel reports the root logger's live level, which is what is
 * actually written; Socket Mode reads it to decide whether to log raw frames.
 */
export function createBoltLogger(logger: winston.Logger): Logger {
  let component = 'bolt';
  const write = (level: BoltLevel, args: unknown[]) => logger.log({ level, ...toEntry(args), component });

  return {
    debug: (...msg) => write('debug', msg),
    info: (...msg) => write('info', msg),
    warn: (...msg) => write('warn', msg),
    error: (...msg) => write('error', msg),
    setLevel: () => {},
    getLevel: () => boltLevelOf(logger.level),
    setName: (name) => {
      component = name;
    },
  };
}
