import { Writable } from 'node:stream';
import { App, LogLevel } from '@slack/bolt';
import winston from 'winston';
import { createBoltLogger } from '../../src/logging/bolt-logger';
import { createLogger } from '../../src/logging/logger';
import { createRedactor, REDACTED } from '../../src/logging/redact';

const PAT = 'test-asana-pat-1234567890';
const BOT_TOKEN = 'xoxb-test-bot-token';
const APP_TOKEN = 'xapp-test-app-token';
const SIGNING_SECRET = 'test-signing-secret';
const SECRETS = [PAT, BOT_TOKEN, APP_TOKEN, SIGNING_SECRET];

/** A root logger at debug whose rendered lines land in `lines`, exactly as a transport receives them. */
function captureLogs(json: boolean) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({
    level: 'debug',
    secrets: SECRETS,
    json,
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, lines };
}

// Winston hands lines to transports through streams; let them drain before reading.
const flush = () => new Promise((resolve) => setImmediate(resolve));

function expectNoSecrets(lines: string[]): void {
  const output = lines.join('');
  for (const secret of SECRETS) {
    expect(output).not.toContain(secret);
    expect(output).not.toContain(encodeURIComponent(secret));
  }
}

/** An Error shaped like an HTTP client's: the request's headers and URL hang off it. */
function httpClientError(): Error {
  const error = new Error(`POST https://app.asana.com/api/1.0/tasks failed for ${PAT}`, {
    cause: new Error(`socket closed while sending ${SIGNING_SECRET}`),
  });
  Object.assign(error, {
    status: 401,
    request: { headers: { Authorization: `Bearer ${PAT}`, 'X-Slack-Signature': 'v0=abc' }, url: '/tasks' },
    response: { text: `{"errors":[{"message":"Not Authorized: ${PAT}"}]}` },
  });
  return error;
}

describe.each([
  ['JSON lines', true],
  ['readable lines', false],
])('no secret in any log line (%s)', (_name, json) => {
  it('covers messages, fields, nesting, errors, URLs and child loggers', async () => {
    const { logger, lines } = captureLogs(json);

    // Plain message, and printf-style arguments.
    logger.info(`connecting with ${BOT_TOKEN} and ${APP_TOKEN}, Asana ${PAT}, signing ${SIGNING_SECRET}`);
    logger.info('token is %s and PAT is %s', BOT_TOKEN, PAT);

    // Meta fields, by sensitive key and by value under harmless keys.
    logger.info('meta', {
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      signingSecret: SIGNING_SECRET,
      asana: PAT,
      headers: { Authorization: `Bearer ${PAT}`, Cookie: `session=${SIGNING_SECRET}` },
      note: `the app token is ${APP_TOKEN}`,
    });

    // Nested objects, arrays, Maps, Sets, Buffers, a cycle and a throwing getter.
    const cyclic: Record<string, unknown> = { name: 'cycle', pat: PAT };
    cyclic.self = cyclic;
    const trap = {
      get boom(): string {
        throw new Error(`getter leaked ${PAT}`);
      },
      ok: `visible ${SIGNING_SECRET}`,
    };
    logger.debug('nested', {
      deep: { a: { b: { c: [{ d: `x${BOT_TOKEN}x` }, PAT] } } },
      map: new Map<string, unknown>([
        ['token', BOT_TOKEN],
        ['other', PAT],
      ]),
      set: new Set([APP_TOKEN]),
      body: Buffer.from(`token=${BOT_TOKEN}`),
      bytes: new TextEncoder().encode(PAT),
      cyclic,
      trap,
      [PAT]: 'a secret used as a key',
    });

    // A thrown Error: logged alone, after a message, and as a field, with its cause.
    try {
      throw httpClientError();
    } catch (error) {
      logger.error(error);
      logger.error('create task failed', error);
      logger.error('create task failed', { err: error });
    }
    const first = new Error(`first ${PAT}`);
    const second = new Error(`second ${SIGNING_SECRET}`, { cause: first });
    (first as Error & { cause?: unknown }).cause = second;
    logger.warn('cause chain with a cycle', { error: second });
    logger.error(new AggregateError([new Error(BOT_TOKEN)], `several failed ${APP_TOKEN}`));

    // URLs, registered and not: the query-parameter rule catches values it was never told about.
    logger.info(`GET https://slack.example/api/auth.test?token=${BOT_TOKEN}&pretty=1`);
    logger.info('request', {
      url: new URL(`https://slack.example/api/x?token=${encodeURIComponent(APP_TOKEN)}`),
    });
    logger.info('GET http://127.0.0.1:9/api?client_secret=unregistered-secret-value&x=1');

    // Child loggers, nested children, and a child whose own fields carry secrets.
    const asana = logger.child({ component: 'asana' });
    asana.warn(`retrying with ${PAT}`, { attempt: 2, headers: { authorization: `Bearer ${PAT}` } });
    asana.child({ task: '1200' }).error('failed', new Error(`task update refused: ${PAT}`));
    logger.child({ component: 'slack', token: BOT_TOKEN, note: SIGNING_SECRET }).info('child meta');

    await flush();
    expect(lines).toHaveLength(15);
    expectNoSecrets(lines);
    expect(lines.join('')).not.toContain('unregistered-secret-value');
    expect(lines.join('')).toContain(REDACTED);
  });

  it('covers the Bolt adapter at all four levels, with strings, Errors and objects', async () => {
    const { logger, lines } = captureLogs(json);
    const bolt = createBoltLogger(logger);
    const failure = new Error(`An API error occurred: invalid_auth for ${BOT_TOKEN}`, {
      cause: new Error(`sent ${PAT}`),
    });

    bolt.debug(`http request url: https://slack.example/api/chat.postMessage?token=${BOT_TOKEN}`);
    bolt.debug(JSON.stringify({ token: BOT_TOKEN, app: APP_TOKEN }));
    bolt.info('socket open with', APP_TOKEN);
    bolt.warn('signature mismatch', { signingSecret: SIGNING_SECRET, got: SIGNING_SECRET });
    bolt.error(failure);
    bolt.error('Slack API error:', failure, { pat: PAT }, 42);
    bolt.setName('socket-mode:SocketModeClient:0');
    bolt.error(new Error(`reconnect failed ${APP_TOKEN}`));

    await flush();
    expect(lines).toHaveLength(7);
    expectNoSecrets(lines);
    expect(lines.at(-1)).toContain('socket-mode:SocketModeClient:0');
  });

  it('covers a real Bolt App built with the adapter, at debug, making no network call', async () => {
    const { logger, lines } = captureLogs(json);
    const app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      signingSecret: SIGNING_SECRET,
      socketMode: true,
      logger: createBoltLogger(logger),
      logLevel: LogLevel.DEBUG,
      // Logs every incoming body at debug: the path Bolt itself warns may contain tokens.
      developerMode: true,
      // No auth.test: known ids, no verification, and initialisation left to us.
      botId: 'B_BOT',
      botUserId: 'U_BOT',
      tokenVerificationEnabled: false,
      deferInitialization: true,
      // Nothing listens here; nothing in this test should try.
      clientOptions: { slackApiUrl: 'http://127.0.0.1:9/api/', retryConfig: { retries: 0 } },
    });
    await app.init();

    app.command('/asana', async ({ ack, logger: listenerLogger, body }) => {
      await ack();
      listenerLogger.info('command received', body);
      listenerLogger.debug(`would call Asana with ${PAT}`);
      throw new Error(`Asana rejected ${PAT}`, { cause: new Error(`while signing with ${SIGNING_SECRET}`) });
    });

    const body = {
      // Slack's legacy verification token: registered nowhere, hidden by its key even inside JSON text.
      token: 'legacy-verification-token',
      team_id: 'T_TEAM',
      user_id: 'U_REQ',
      channel_id: 'C_GEN',
      command: '/asana',
      text: `create ${PAT} ${BOT_TOKEN}`,
      api_app_id: 'A_APP',
      trigger_id: '1.2.3',
      response_url: `http://127.0.0.1:9/commands?token=${APP_TOKEN}`,
    };
    await expect(app.processEvent({ body, ack: async () => {} })).rejects.toThrow();
    // An unroutable body takes Bolt's own warning path.
    await app.processEvent({ body: { secret: SIGNING_SECRET }, ack: async () => {} });

    await flush();
    const output = lines.join('');
    expect(output).toContain('command received');
    expect(output).toContain('Could not determine the type');
    // Bolt's default error handler logged the listener's error.
    expect(output).toContain(`Asana rejected ${REDACTED}`);
    expectNoSecrets(lines);
    expect(output).not.toContain('legacy-verification-token');
  });
});

describe('createLogger', () => {
  it('keeps the stack and cause of a logged Error, in JSON', async () => {
    const { logger, lines } = captureLogs(true);
    logger.error('create task failed', new Error('outer', { cause: new Error('inner') }));
    await flush();

    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'error', message: 'create task failed outer' });
    expect(entry.stack).toContain('logger.test.ts');
    expect(entry.cause).toMatchObject({ name: 'Error', message: 'inner' });
    expect(entry.cause.stack).toContain('logger.test.ts');
  });

  it('writes one JSON object per line with level and message first and a timestamp', async () => {
    const { logger, lines } = captureLogs(true);
    logger.child({ component: 'scheduler' }).info('job ran', { job: 'reminders', count: 3 });
    await flush();

    expect(lines).toHaveLength(1);
    expect(lines[0].trimEnd()).not.toContain('\n');
    const entry = JSON.parse(lines[0]);
    expect(Object.keys(entry).slice(0, 2)).toEqual(['level', 'message']);
    expect(entry).toMatchObject({ component: 'scheduler', job: 'reminders', count: 3 });
    expect(Number.isNaN(Date.parse(entry.timestamp))).toBe(false);
  });

  it('writes readable lines with the component and the stack underneath', async () => {
    const { logger, lines } = captureLogs(false);
    logger.child({ component: 'asana' }).error('lookup failed', new Error('not found'));
    await flush();

    const [first, ...rest] = lines[0].trimEnd().split('\n');
    expect(first).toMatch(/error.* \[asana\] lookup failed not found$/);
    expect(rest[0]).toBe('Error: not found');
  });

  it('drops lines below the configured level', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({
      level: 'warn',
      secrets: [],
      transports: [new winston.transports.Stream({ stream })],
    });
    logger.info('quiet');
    logger.warn('loud');
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('loud');
  });

  it('rejects an unknown level instead of logging nothing', () => {
    expect(() => createLogger({ level: 'loud', secrets: [] })).toThrow(RangeError);
  });
});

describe('createBoltLogger', () => {
  it('writes one line per call with a component, and the first Error whole', async () => {
    const { logger, lines } = captureLogs(true);
    const bolt = createBoltLogger(logger);

    bolt.warn('a', 'b', 3, true);
    bolt.error('failed:', new Error('boom'), { channel: 'C_GEN' });
    bolt.setName('web-api:WebClient:0');
    bolt.debug(new Error('bare'));
    await flush();

    const [warn, error, debug] = lines.map((line) => JSON.parse(line));
    expect(warn).toMatchObject({ level: 'warn', message: 'a b 3 true', component: 'bolt' });
    expect(error).toMatchObject({
      level: 'error',
      message: 'failed:',
      error: { name: 'Error', message: 'boom' },
      details: [{ channel: 'C_GEN' }],
    });
    expect(error.error.stack).toContain('logger.test.ts');
    expect(debug).toMatchObject({ message: 'bare', component: 'web-api:WebClient:0' });
  });

  it('ignores setLevel: the configured level alone decides, and getLevel reports it', async () => {
    const { logger, lines } = captureLogs(true);
    logger.level = 'info';
    const bolt = createBoltLogger(logger);

    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug('not written: below the configured level');
    bolt.setLevel(LogLevel.ERROR);
    bolt.warn('still written');
    await flush();

    expect(bolt.getLevel()).toBe(LogLevel.INFO);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('still written');
  });
});

describe('createRedactor', () => {
  const redactor = createRedactor([SIGNING_SECRET, 'short', 'shortish-longer']);

  it('replaces a secret that contains another as a whole', () => {
    expect(redactor.text('a shortish-longer b short')).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('catches Slack token shapes nobody registered', () => {
    const text = 'xoxp-user-token xoxa-x xoxo-y xoxr-z xoxs-q xoxe-refresh xapp-level-token xoxb-';
    expect(redactor.text(text)).toBe(Array(7).fill(REDACTED).join(' ') + ' xoxb-');
  });

  it('catches an Asana token shape nobody registered', () => {
    const pat = `2/${'1'.repeat(16)}/${'2'.repeat(16)}:${'a'.repeat(32)}`;
    expect(redactor.text(`Authorization failed for ${pat}.`)).toBe(`Authorization failed for ${REDACTED}.`);
  });

  it('hides sensitive name=value and JSON pairs in text, whatever the value', () => {
    expect(redactor.text('token=abc&channel=C1 then password=hunter2 and ?x=1;api_token=def')).toBe(
      `token=${REDACTED}&channel=C1 then password=${REDACTED} and ?x=1;api_token=${REDACTED}`,
    );
    expect(redactor.text('{"token":"verif\\"ication","Authorization" : "Basic x","user":"U1"}')).toBe(
      `{"token":"${REDACTED}","Authorization" : "${REDACTED}","user":"U1"}`,
    );
  });

  it('leaves harmless pairs on a JSON line alone, and the line valid', () => {
    const line = JSON.stringify({
      tokenCount: REDACTED,
      url: 'https://a.example/?page=2',
      note: 'x token=a\\"b',
    });
    const redacted = redactor.text(line);
    expect(JSON.parse(redacted)).toEqual({
      tokenCount: REDACTED,
      url: 'https://a.example/?page=2',
      note: `x token=${REDACTED}\\"b`,
    });
  });

  it('hides sensitive keys whatever their value, and keeps the rest', () => {
    expect(
      redactor.value({
        botToken: { nested: 1 },
        Authorization: 'Bearer x',
        cookies: [],
        channel: 'C1',
        ok: true,
      }),
    ).toEqual({ botToken: REDACTED, Authorization: REDACTED, cookies: REDACTED, channel: 'C1', ok: true });
  });

  it('turns what JSON cannot hold into plain values', () => {
    const shared = { id: 1 };
    expect(
      redactor.value({
        a: shared,
        b: shared,
        when: new Date('2024-01-02T03:04:05Z'),
        bad: new Date(NaN),
        big: 10n,
        fn: function named() {},
        buffer: Buffer.alloc(4),
      }),
    ).toEqual({
      a: { id: 1 },
      b: { id: 1 },
      when: '2024-01-02T03:04:05.000Z',
      bad: 'Invalid Date',
      big: '10',
      fn: '[function named]',
      buffer: '[binary 4 bytes]',
    });
  });

  it('survives hostile objects', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i += 1) deep = deep.next = {};

    expect(redactor.value({ proxy: revoked.proxy, ok: 1 })).toEqual({ proxy: '[unloggable value]', ok: 1 });
    expect(JSON.stringify(redactor.value(root))).toContain('[truncated]');
  });
});

describe('response_url redaction', () => {
  it('hides Slack response_urls and webhook URLs, which let anyone post', async () => {
    const { logger, lines } = captureLogs(true);

    logger.info('posting to https://hooks.slack.com/commands/T1/123456/AbCdEf', {
      url: 'https://hooks.slack.com/actions/T1/987/XyZ',
    });
    await flush();

    expect(lines.join('')).not.toMatch(/AbCdEf|XyZ/);
  });
});
