import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './errors';

/** Every setting the bridge reads, validated once at start-up. */
export interface Config {
  slack: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    mode: 'socket' | 'http';
  };
  asana: { accessToken: string; workspaceGid?: string; baseUrl?: string; rateLimitPerMinute: number };
  port: number;
  /** Interface HTTP mode listens on; all interfaces when unset. */
  host?: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  dataDir: string;
}

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** How the placeholders in .env.example read (`xoxb-your-bot-token`, `your-asana-…`). */
const PLACEHOLDER = /(^|-)your-|<|>|changeme/i;

// Where an operator finds each value. Problems end with these, so every message says how to fix it.
const HOW_TO_GET = {
  SLACK_BOT_TOKEN:
    "Copy the Bot User OAuth Token (starts with xoxb-) from your Slack app's OAuth & Permissions page.",
  SLACK_SIGNING_SECRET:
    "Copy the Signing Secret from your Slack app's Basic Information page (App Credentials), " +
    'or set SLACK_APP_TOKEN to use Socket Mode instead.',
  SLACK_APP_TOKEN:
    "Generate an app-level token with the connections:write scope on your Slack app's Basic Information " +
    'page (App-Level Tokens); it starts with xapp-. Leave it unset to receive requests over HTTP.',
  ASANA_ACCESS_TOKEN:
    'In Asana open My settings > Apps > Manage Developer Apps (https://app.asana.com/0/my-apps) and create a personal access token.',
  ASANA_WORKSPACE_GID:
    'Use the numeric gid of your workspace as listed by https://app.asana.com/api/1.0/workspaces, ' +
    'or leave it unset.',
  PORT: 'Use a whole number from 1 to 65535, or leave it unset for 3000.',
  HOST: 'Use an interface address or host name such as 127.0.0.1, or leave it unset to listen on all.',
  LOG_LEVEL: 'Use one of error, warn, info, debug, or leave it unset for info.',
  SLACK_API_URL:
    'Use an http(s) URL such as http://localhost:3001/api/ (tests only), or leave it unset for Slack itself.',
  ASANA_BASE_URL:
    'Use an http(s) URL such as https://app.asana.com/api/1.0, or leave it unset for Asana itself.',
  ASANA_RATE_LIMIT_PER_MIN:
    "Use a whole number above 0: 150 for a free Asana plan, 1500 for a paid one (Asana's per-token limits).",
} as const;

type Variable = keyof typeof HOW_TO_GET;

const missing = (variable: Variable) => `missing. ${HOW_TO_GET[variable]}`;
// `what` describes the fault without quoting the value, which may be a secret.
const invalid = (variable: Variable, what: string) => `${what}. ${HOW_TO_GET[variable]}`;

/** Trims, and turns blank strings into undefined: `FOO=` in an env file means "not set". */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const fromEnv = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema);

const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: message });

const httpUrl = (message: string) => z.url({ protocol: /^https?$/, error: message });

const envSchema = z.object({
  SLACK_BOT_TOKEN: fromEnv(
    z
      .string({ error: missing('SLACK_BOT_TOKEN') })
      .startsWith('xoxb-', { error: invalid('SLACK_BOT_TOKEN', 'does not start with xoxb-') }),
  ),
  // Required only in HTTP mode; that rule spans two variables, so loadConfig checks it.
  SLACK_SIGNING_SECRET: fromEnv(z.string().optional()),
  SLACK_APP_TOKEN: fromEnv(
    z
      .string()
      .startsWith('xapp-', { error: invalid('SLACK_APP_TOKEN', 'does not start with xapp-') })
      .optional(),
  ),
  ASANA_ACCESS_TOKEN: fromEnv(z.string({ error: missing('ASANA_ACCESS_TOKEN') })),
  ASANA_WORKSPACE_GID: fromEnv(
    z
      .string()
      .regex(/^\d+$/, { error: invalid('ASANA_WORKSPACE_GID', 'is not made of digits only') })
      .optional(),
  ),
  PORT: fromEnv(
    wholeNumber(1, 65535, invalid('PORT', 'is not a whole number from 1 to 65535')).default(3000),
  ),
  HOST: fromEnv(
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+$/, { error: invalid('HOST', 'is not an address or host name') })
      .optional(),
  ),
  LOG_LEVEL: fromEnv(
    z.enum(LOG_LEVELS, { error: invalid('LOG_LEVEL', 'is not a known level') }).default('info'),
  ),
  SLACK_API_URL: fromEnv(httpUrl(invalid('SLACK_API_URL', 'is not an http(s) URL')).optional()),
  ASANA_BASE_URL: fromEnv(httpUrl(invalid('ASANA_BASE_URL', 'is not an http(s) URL')).optional()),
  ASANA_RATE_LIMIT_PER_MIN: fromEnv(
    wholeNumber(
      1,
      Number.MAX_SAFE_INTEGER,
      invalid('ASANA_RATE_LIMIT_PER_MIN', 'is not a whole number above 0'),
    ).default(150),
  ),
  DATA_DIR: fromEnv(z.string().default('./data')),
});

/**
 * Reads and validates the bridge's settings from `env`. Throws a ConfigError holding one problem per
 * bad or missing variable, so an operator fixes everything in one pass rather than one restart each.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const result = envSchema.safeParse(env);
  const problems: ConfigProblem[] = [];

  if (!result.success) {
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0]);
      // A value can fail several checks; the first says enough and keeps it to one line per variable.
      if (!problems.some((p) => p.variable === variable)) problems.push({ variable, message: issue.message });
    }
  }

  // Socket Mode authenticates with the app-level token; only HTTP mode verifies request signatures.
  // A malformed app token still shows the operator meant Socket Mode, so it does not add this problem.
  const httpMode = blankToUndefined(env.SLACK_APP_TOKEN) === undefined;
  if (httpMode && blankToUndefined(env.SLACK_SIGNING_SECRET) === undefined) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      message: `missing, and HTTP mode needs it (SLACK_APP_TOKEN is not set). ${HOW_TO_GET.SLACK_SIGNING_SECRET}`,
    });
  }

  // The .env.example placeholders pass the shape checks; catch them here rather than at Slack or Asana.
  for (const variable of [
    'SLACK_BOT_TOKEN',
    'SLACK_APP_TOKEN',
    'SLACK_SIGNING_SECRET',
    'ASANA_ACCESS_TOKEN',
  ] as const) {
    const value = blankToUndefined(env[variable]);
    if (
      typeof value === 'string' &&
      PLACEHOLDER.test(value) &&
      !problems.some((p) => p.variable === variable)
    ) {
      problems.push({
        variable,
        message: invalid(variable, 'still holds the placeholder from .env.example'),
      });
    }
  }

  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const vars = result.data;

  return {
    slack: {
      botToken: vars.SLACK_BOT_TOKEN,
      signingSecret: vars.SLACK_SIGNING_SECRET,
      appToken: vars.SLACK_APP_TOKEN,
      // WebClient joins method names straight onto this, so it must end with a slash.
      apiUrl: vars.SLACK_API_URL?.replace(/\/*$/, '/'),
      mode: vars.SLACK_APP_TOKEN === undefined ? 'http' : 'socket',
    },
    asana: {
      accessToken: vars.ASANA_ACCESS_TOKEN,
      workspaceGid: vars.ASANA_WORKSPACE_GID,
      // The Asana client appends paths that start with a slash.
      baseUrl: vars.ASANA_BASE_URL?.replace(/\/+$/, ''),
      rateLimitPerMinute: vars.ASANA_RATE_LIMIT_PER_MIN,
    },
    port: vars.PORT,
    ...(vars.HOST ? { host: vars.HOST } : {}),
    logLevel: vars.LOG_LEVEL,
    dataDir: vars.DATA_DIR,
  };
}

/**
 * Loads an optional .env file into process.env. Variables already set win, except blank ones: the
 * bridge treats a blank variable as unset, so the file may fill it. A missing file is not an error.
 */
export function readDotEnv(path: string): void {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }

  // Node's own parser (the one behind --env-file and process.loadEnvFile), used directly because
  // loadEnvFile would leave a blank variable blank.
  for (const [name, value] of Object.entries(parseEnv(content))) {
    if (value !== undefined && blankToUndefined(process.env[name]) === undefined) process.env[name] = value;
  }
}
