import winston from 'winston';
import { createRedactor, type Redactor } from './redact';

/** Options for the root logger. */
export interface LoggerOptions {
  /** Lowest level written: one of winston's npm levels (config only allows error, warn, info, debug). */
  level: string;
  /** Values that must never reach a log line: tokens, signing secret, Asana PAT. */
  secrets: string[];
  /** JSON lines when true, readable coloured lines when false. Default: JSON unless stdout is a terminal. */
  json?: boolean;
  /** Where lines go. Default: the console. Tests pass an in-memory stream. */
  transports?: winston.transport[];
}

// Winston's info keys (triple-beam publishes them with Symbol.for, so no import is needed).
const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

type Info = winston.Logform.TransformableInfo;

/**
 * Redacts every field of a line before it is rendered. The copy keeps only string keys plus the
 * level symbol: splat() has already merged the extra arguments, and nothing renders them.
 */
const redactFields = (redactor: Redactor) =>
  winston.format((info: Info) => {
    // level and message first: people read JSON lines left to right.
    const clean = redactor.value(Object.assign({ level: info.level, message: info.message }, info)) as Info;
    clean[LEVEL] = info[LEVEL];
    return clean;
  })();

/**
 * Scrubs the rendered line once more. The field pass already did the work; this one guarantees
 * that no renderer, now or later, can put a registered secret or token into output.
 */
const redactLine = (redactor: Redactor) =>
  winston.format((info: Info) => {
    const line = info[MESSAGE];
    if (typeof line === 'string') info[MESSAGE] = redactor.text(line);
    return info;
  })();

/** One line per entry for a person at a terminal: time, level, component, message, fields, stack. */
const readableLine = winston.format.printf((info) => {
  const { level, message, timestamp, component, stack, ...fields } = info;
  const where = component === undefined ? '' : ` [${String(component)}]`;
  const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  const trace = typeof stack === 'string' ? `\n${stack}` : '';
  return `${String(timestamp)} ${level}${where} ${String(message)}${extra}${trace}`;
});

/**
 * Builds the root logger. Every line, including those of child loggers and of Bolt through
 * createBoltLogger, passes the redaction formats before any transport sees it.
 */
export function createLogger(options: LoggerOptions): winston.Logger {
  if (!Object.hasOwn(winston.config.npm.levels, options.level)) {
    throw new RangeError(`Unknown log level "${options.level}"`);
  }
  const redactor = createRedactor(options.secrets);
  const json = options.json ?? !process.stdout.isTTY;

  return winston.createLogger({
    level: options.level,
    format: winston.format.combine(
      // Errors logged directly keep their stack and cause; operators need them, users never see logs.
      winston.format.errors({ stack: true, cause: true }),
      winston.format.splat(),
      redactFields(redactor),
      winston.format.timestamp(),
      ...(json ? [winston.format.json({ deterministic: false })] : [winston.format.colorize(), readableLine]),
      redactLine(redactor),
    ),
    transports: options.transports ?? [new winston.transports.Console()],
  });
}
