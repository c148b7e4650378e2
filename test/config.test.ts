import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, readDotEnv } from '../src/config';
import { ConfigError } from '../src/errors';

const BOT_TOKEN = 'xoxb-test-bot-token';
const APP_TOKEN = 'xapp-test-app-token';
const SIGNING_SECRET = 'test-signing-secret';
const PAT = 'test-asana-pat';

const socketEnv = (): NodeJS.ProcessEnv => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_APP_TOKEN: APP_TOKEN,
  ASANA_ACCESS_TOKEN: PAT,
});

const httpEnv = (): NodeJS.ProcessEnv => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  ASANA_ACCESS_TOKEN: PAT,
});

/** Everything loadConfig lets an operator see: the thrown error in every form it is printed in. */
function failureOf(env: NodeJS.ProcessEnv): { error: ConfigError; visible: string } {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    return {
      error: configError,
      visible: [configError.message, String(configError.stack), JSON.stringify(configError.problems)].join(
        '\n',
      ),
    };
  }
  throw new Error('loadConfig accepted the environment');
}

const variablesOf = (error: ConfigError) => error.problems.map((p) => p.variable);

describe('loadConfig', () => {
  it('reads a Socket Mode setup with defaults for everything optional', () => {
    expect(loadConfig(socketEnv())).toEqual({
      slack: { botToken: BOT_TOKEN, appToken: APP_TOKEN, mode: 'socket' },
      asana: { accessToken: PAT, rateLimitPerMinute: 150 },
      port: 3000,
      logLevel: 'info',
      dataDir: './data',
    });
  });

  it('reads an HTTP setup when no app token is set', () => {
    const config = loadConfig(httpEnv());
    expect(config.slack).toEqual({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, mode: 'http' });
  });

  it('keeps a signing secret given in Socket Mode', () => {
    expect(loadConfig({ ...socketEnv(), SLACK_SIGNING_SECRET: SIGNING_SECRET }).slack).toMatchObject({
      mode: 'socket',
      signingSecret: SIGNING_SECRET,
    });
  });

  it('reads every optional variable', () => {
    const config = loadConfig({
      ...socketEnv(),
      ASANA_WORKSPACE_GID: '1200000000000001',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      SLACK_API_URL: 'http://127.0.0.1:3001/api',
      ASANA_BASE_URL: 'http://127.0.0.1:3002/api/1.0/',
      ASANA_RATE_LIMIT_PER_MIN: '1500',
      DATA_DIR: '/var/lib/asana-bridge',
    });
    expect(config).toEqual({
      slack: {
        botToken: BOT_TOKEN,
        appToken: APP_TOKEN,
        apiUrl: 'http://127.0.0.1:3001/api/',
        mode: 'socket',
      },
      asana: {
        accessToken: PAT,
        workspaceGid: '1200000000000001',
        baseUrl: 'http://127.0.0.1:3002/api/1.0',
        rateLimitPerMinute: 1500,
      },
      port: 8080,
      logLevel: 'debug',
      dataDir: '/var/lib/asana-bridge',
    });
  });

  it('trims surrounding whitespace, as copy and paste leaves it', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: ` ${BOT_TOKEN}\n`,
      SLACK_APP_TOKEN: `\t${APP_TOKEN} `,
      ASANA_ACCESS_TOKEN: `  ${PAT}  `,
      PORT: ' 4000 ',
    });
    expect(config.slack.botToken).toBe(BOT_TOKEN);
    expect(config.slack.appToken).toBe(APP_TOKEN);
    expect(config.asana.accessToken).toBe(PAT);
    expect(config.port).toBe(4000);
  });

  it('leaves a URL that already ends in one slash alone and collapses several', () => {
    expect(loadConfig({ ...socketEnv(), SLACK_API_URL: 'https://slack.com/api/' }).slack.apiUrl).toBe(
      'https://slack.com/api/',
    );
    expect(
      loadConfig({ ...socketEnv(), ASANA_BASE_URL: 'https://app.asana.com/api/1.0//' }).asana.baseUrl,
    ).toBe('https://app.asana.com/api/1.0');
  });

  it('treats blank optional variables as unset and applies the defaults', () => {
    const env: NodeJS.ProcessEnv = {
      ...socketEnv(),
      ASANA_WORKSPACE_GID: '',
      PORT: '',
      LOG_LEVEL: ' ',
      SLACK_API_URL: '',
      ASANA_BASE_URL: '\t',
      ASANA_RATE_LIMIT_PER_MIN: '  ',
      DATA_DIR: '',
    };
    expect(loadConfig(env)).toEqual(loadConfig(socketEnv()));
  });

  it('treats a blank app token as unset, which means HTTP mode', () => {
    expect(loadConfig({ ...httpEnv(), SLACK_APP_TOKEN: ' ' }).slack.mode).toBe('http');
  });

  it('accepts the edges of each numeric range', () => {
    expect(loadConfig({ ...socketEnv(), PORT: '1' }).port).toBe(1);
    expect(loadConfig({ ...socketEnv(), PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ ...socketEnv(), ASANA_RATE_LIMIT_PER_MIN: '1' }).asana.rateLimitPerMinute).toBe(1);
  });

  it.each(['error', 'warn', 'info', 'debug'] as const)('accepts LOG_LEVEL=%s', (level) => {
    expect(loadConfig({ ...socketEnv(), LOG_LEVEL: level }).logLevel).toBe(level);
  });

  // [variable, value (undefined = unset), words the problem must contain]
  const badValues: Array<[string, string | undefined, string[]]> = [
    ['SLACK_BOT_TOKEN', undefined, ['missing', 'Bot User OAuth Token', 'OAuth & Permissions']],
    ['SLACK_BOT_TOKEN', '', ['missing', 'OAuth & Permissions']],
    ['SLACK_BOT_TOKEN', '   ', ['missing', 'OAuth & Permissions']],
    ['SLACK_BOT_TOKEN', 'xoxp-test-user-token', ['does not start with xoxb-', 'OAuth & Permissions']],
    ['SLACK_BOT_TOKEN', APP_TOKEN, ['does not start with xoxb-']],
    ['SLACK_APP_TOKEN', 'test-app-token-without-prefix', ['does not start with xapp-', 'connections:write']],
    ['SLACK_APP_TOKEN', BOT_TOKEN, ['does not start with xapp-', 'App-Level Tokens']],
    [
      'ASANA_ACCESS_TOKEN',
      undefined,
      ['missing', 'personal access token', 'https://app.asana.com/0/my-apps'],
    ],
    ['ASANA_ACCESS_TOKEN', ' \t', ['missing', 'personal access token']],
    ['ASANA_WORKSPACE_GID', 'my-workspace', ['digits', 'https://app.asana.com/api/1.0/workspaces']],
    ['ASANA_WORKSPACE_GID', '12 34', ['digits']],
    ['PORT', 'eighty', ['1 to 65535']],
    ['PORT', '0', ['1 to 65535']],
    ['PORT', '65536', ['1 to 65535']],
    ['PORT', '-1', ['1 to 65535']],
    ['PORT', '80.5', ['1 to 65535']],
    ['PORT', '0x50', ['1 to 65535']],
    ['LOG_LEVEL', 'verbose', ['error, warn, info, debug']],
    ['LOG_LEVEL', 'INFO', ['error, warn, info, debug']],
    ['SLACK_API_URL', 'not a url', ['http(s) URL']],
    ['SLACK_API_URL', 'ftp://127.0.0.1/api/', ['http(s) URL']],
    ['ASANA_BASE_URL', '127.0.0.1:3002', ['http(s) URL']],
    ['ASANA_BASE_URL', 'file:///etc/passwd', ['http(s) URL']],
    ['ASANA_RATE_LIMIT_PER_MIN', '0', ['above 0', '150', '1500']],
    ['ASANA_RATE_LIMIT_PER_MIN', '-5', ['above 0']],
    ['ASANA_RATE_LIMIT_PER_MIN', '2.5', ['above 0']],
    ['ASANA_RATE_LIMIT_PER_MIN', 'lots', ['above 0']],
  ];

  it.each(badValues)('reports %s=%j as one problem that says how to fix it', (variable, value, words) => {
    const env = socketEnv();
    if (value === undefined) delete env[variable];
    else env[variable] = value;

    const { error, visible } = failureOf(env);

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].variable).toBe(variable);
    for (const word of words) expect(error.problems[0].message).toContain(word);
    expect(error.message).toContain(variable);
    // The value is never echoed back, whether or not it is a secret. (Short values such as "0" also
    // occur in the hints, so only distinctive ones can be checked this way.)
    if (value !== undefined && value.trim().length >= 6) expect(visible).not.toContain(value.trim());
  });

  it('requires the signing secret in HTTP mode and says Socket Mode is the alternative', () => {
    const env = httpEnv();
    delete env.SLACK_SIGNING_SECRET;
    const { error } = failureOf(env);
    expect(variablesOf(error)).toEqual(['SLACK_SIGNING_SECRET']);
    expect(error.problems[0].message).toContain('Signing Secret');
    expect(error.problems[0].message).toContain('Basic Information');
    expect(error.problems[0].message).toContain('SLACK_APP_TOKEN');
  });

  it('counts a blank signing secret as missing in HTTP mode', () => {
    expect(variablesOf(failureOf({ ...httpEnv(), SLACK_SIGNING_SECRET: '  ' }).error)).toEqual([
      'SLACK_SIGNING_SECRET',
    ]);
  });

  it('does not ask for a signing secret when a malformed app token shows Socket Mode was meant', () => {
    const { error } = failureOf({ ...socketEnv(), SLACK_APP_TOKEN: 'app-token-without-prefix' });
    expect(variablesOf(error)).toEqual(['SLACK_APP_TOKEN']);
  });

  it('reports every bad variable at once, one problem each', () => {
    const { error } = failureOf({
      SLACK_BOT_TOKEN: 'bot-token-without-prefix',
      ASANA_WORKSPACE_GID: 'abc',
      PORT: '99999',
      LOG_LEVEL: 'loud',
      SLACK_API_URL: 'nope',
      ASANA_BASE_URL: 'nope',
      ASANA_RATE_LIMIT_PER_MIN: '0',
    });
    expect(variablesOf(error).sort()).toEqual(
      [
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'ASANA_ACCESS_TOKEN',
        'ASANA_WORKSPACE_GID',
        'PORT',
        'LOG_LEVEL',
        'SLACK_API_URL',
        'ASANA_BASE_URL',
        'ASANA_RATE_LIMIT_PER_MIN',
      ].sort(),
    );
    expect(error.message.split('\n')).toHaveLength(9);
  });

  it('never shows a secret that is set while reporting other problems', () => {
    const { visible } = failureOf({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: 'malformed-app-token-value',
      ASANA_ACCESS_TOKEN: PAT,
      PORT: 'x',
    });
    for (const value of [BOT_TOKEN, SIGNING_SECRET, PAT, 'malformed-app-token-value']) {
      expect(visible).not.toContain(value);
    }
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ ...socketEnv(), HOME: '/root', SLACK_CLIENT_SECRET: 'unused' })).not.toThrow();
  });
});

describe('readDotEnv', () => {
  const names = [
    'BRIDGE_TEST_DOTENV_NEW',
    'BRIDGE_TEST_DOTENV_SET',
    'BRIDGE_TEST_DOTENV_BLANK',
    'BRIDGE_TEST_DOTENV_QUOTED',
  ];
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dotenv-test-'));
  });

  afterEach(() => {
    for (const name of names) delete process.env[name];
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds new variables, keeps ones already set and fills blank ones', () => {
    const file = path.join(dir, '.env');
    writeFileSync(
      file,
      [
        '# a comment',
        'BRIDGE_TEST_DOTENV_NEW=from-file',
        'BRIDGE_TEST_DOTENV_SET=from-file',
        'BRIDGE_TEST_DOTENV_BLANK=from-file',
        'BRIDGE_TEST_DOTENV_QUOTED="two words # not a comment"',
        '',
      ].join('\n'),
    );
    process.env.BRIDGE_TEST_DOTENV_SET = 'from-environment';
    process.env.BRIDGE_TEST_DOTENV_BLANK = ' ';

    readDotEnv(file);

    expect(process.env.BRIDGE_TEST_DOTENV_NEW).toBe('from-file');
    expect(process.env.BRIDGE_TEST_DOTENV_SET).toBe('from-environment');
    expect(process.env.BRIDGE_TEST_DOTENV_BLANK).toBe('from-file');
    expect(process.env.BRIDGE_TEST_DOTENV_QUOTED).toBe('two words # not a comment');
  });

  it('does nothing when the file does not exist', () => {
    expect(() => readDotEnv(path.join(dir, 'missing.env'))).not.toThrow();
  });

  it('fails loudly when the path exists but cannot be read as a file', () => {
    expect(() => readDotEnv(dir)).toThrow();
  });
});

describe('loadConfig and the .env.example placeholders', () => {
  it('refuses each placeholder by name, without echoing it', () => {
    const { error, visible } = failureOf({
      SLACK_BOT_TOKEN: 'xoxb-your-bot-token',
      SLACK_APP_TOKEN: 'xapp-your-app-token',
      ASANA_ACCESS_TOKEN: 'your-asana-personal-access-token',
    });

    expect(variablesOf(error).sort()).toEqual(['ASANA_ACCESS_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN']);
    expect(visible).toMatch(/placeholder from \.env\.example/);
    expect(visible).not.toContain('your-asana-personal-access-token');
  });
});

describe('loadConfig HOST', () => {
  it('listens on the given interface, or on all when unset', () => {
    expect(loadConfig({ ...httpEnv(), HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig(httpEnv()).host).toBeUndefined();
  });

  it('refuses something that is no address', () => {
    expect(variablesOf(failureOf({ ...httpEnv(), HOST: 'not a host!' }).error)).toEqual(['HOST']);
  });
});
