import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, webApi, type Logger, type types } from '@slack/bolt';
import { SlackDriver } from '../helpers/slack-driver';
import { FakeSlackServer } from './fake-slack-server';

const BOT_TOKEN = 'xoxb-test-bot-token';
const APP_TOKEN = 'xapp-test-app-token';
const SIGNING_SECRET = 'test-signing-secret';
// 2024-01-15T12:00:00Z: winter, so Europe/Berlin is UTC+1 and New York UTC-5.
const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);

/** Keeps Bolt and WebClient output out of the jest log while letting a test look at it. */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (...msg: unknown[]): void => {
      lines.push(`${level} ${msg.map(String).join(' ')}`);
    };
  return {
    lines,
    debug: () => undefined,
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

function section(text: string, blockId?: string): types.SectionBlock {
  return {
    type: 'section',
    ...(blockId === undefined ? {} : { block_id: blockId }),
    text: { type: 'mrkdwn', text },
  };
}

function modal(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    type: 'modal',
    callback_id: 'create_task',
    title: { type: 'plain_text', text: 'Create Asana task' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ channel: 'C_GEN' }),
    blocks: [
      {
        type: 'input',
        block_id: 'title_block',
        label: { type: 'plain_text', text: 'Title' },
        element: { type: 'plain_text_input', action_id: 'title', max_length: 3000 },
      },
      {
        type: 'input',
        block_id: 'due_block',
        optional: true,
        label: { type: 'plain_text', text: 'Due' },
        element: { type: 'datepicker', action_id: 'due' },
      },
    ],
    ...overrides,
  };
}

function platformError(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error;
}

describe('FakeSlackServer Web API', () => {
  let fake: FakeSlackServer;
  let clock: number;
  let client: webApi.WebClient;

  beforeEach(async () => {
    clock = T0;
    fake = await FakeSlackServer.start({ now: () => clock });
    client = new webApi.WebClient(BOT_TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: capturingLogger(),
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('listens on loopback and answers auth.test with the bot identity', async () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T_TEAM', user_id: 'U_BOT', bot_id: 'B_BOT' });
    expect(fake.callsTo('auth.test')[0]).toMatchObject({ token: BOT_TOKEN, at: T0 });
  });

  it('serves users.info with email, zone and DST-aware offset, and refuses unknown users', async () => {
    fake.addUser({
      id: 'U_REQ',
      name: 'req',
      real_name: 'Req User',
      email: 'req@example.com',
      tz: 'Europe/Berlin',
    });
    fake.addUser({ id: 'U_GUEST', is_stranger: true });

    const { user } = await client.users.info({ user: 'U_REQ' });
    expect(user).toMatchObject({
      id: 'U_REQ',
      team_id: 'T_TEAM',
      tz: 'Europe/Berlin',
      tz_offset: 3600,
      is_bot: false,
      deleted: false,
      profile: { email: 'req@example.com', real_name: 'Req User' },
    });
    const guest = await client.users.info({ user: 'U_GUEST' });
    expect(guest.user).toMatchObject({ tz: 'America/New_York', tz_offset: -18000, is_stranger: true });
    expect((guest.user as { profile: object }).profile).not.toHaveProperty('email');

    await expect(client.users.info({ user: 'U_NOBODY' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
    const found = await client.users.lookupByEmail({ email: 'REQ@example.com' });
    expect(found.user?.id).toBe('U_REQ');
    await expect(client.users.lookupByEmail({ email: 'x@example.com' })).rejects.toMatchObject({
      data: { error: 'users_not_found' },
    });
    // Unknown users are a normal answer, not an app mistake.
    expect(fake.errors).toHaveLength(0);
  });

  it('posts messages and refuses the limits that bite, recording them in errors', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C_GEN',
      text: 'hi',
      thread_ts: '1700000000.000100',
    });
    expect(posted).toMatchObject({ ok: true, channel: 'C_GEN', message: { thread_ts: '1700000000.000100' } });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);

    // Emoji count once each, so 3000 of them still fit a section.
    await client.chat.postMessage({ channel: 'C_GEN', text: 'ok', blocks: [section('😀'.repeat(3000))] });
    expect(fake.errors).toHaveLength(0);

    const refusals: Array<[string, Promise<unknown>]> = [
      ['no_text', client.chat.postMessage({ channel: 'C_GEN', text: '' })],
      [
        'invalid_blocks',
        client.chat.postMessage({ channel: 'C_GEN', text: 'x', blocks: [section('a'.repeat(3001))] }),
      ],
      [
        'invalid_blocks',
        client.chat.postMessage({
          channel: 'C_GEN',
          text: 'x',
          blocks: Array.from({ length: 51 }, () => section('a')),
        }),
      ],
      [
        'invalid_blocks',
        client.chat.postMessage({
          channel: 'C_GEN',
          text: 'x',
          blocks: [section('a', 'b'), section('a', 'b')],
        }),
      ],
      ['msg_too_long', client.chat.postMessage({ channel: 'C_GEN', text: 'a'.repeat(40_001) })],
      ['channel_not_found', client.chat.postMessage({ channel: '', text: 'x' })],
    ];
    for (const [error, call] of refusals) {
      await expect(call).rejects.toMatchObject({ data: { error } });
    }
    expect(fake.errors.map((c) => c.response.error)).toEqual(refusals.map(([error]) => error));
    expect(fake.errors[1].response.response_metadata.messages[0]).toContain(
      '[json-pointer:/blocks/0/text/text]',
    );
  });

  it('answers not_in_channel for denied channels and scripted failures, without counting them as mistakes', async () => {
    fake.denyPosting('C_PRIV');
    fake.failNext('chat.postEphemeral', 'user_not_in_channel');
    fake.rateLimitNext('chat.update', 7);

    await expect(client.chat.postMessage({ channel: 'C_PRIV', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(
      client.chat.postEphemeral({ channel: 'C_GEN', user: 'U_REQ', text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'user_not_in_channel' },
    });
    await expect(
      client.chat.postEphemeral({ channel: 'C_GEN', user: 'U_REQ', text: 'x' }),
    ).resolves.toMatchObject({
      ok: true,
    });
    await expect(client.chat.update({ channel: 'C_GEN', ts: '1.000001', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
    expect(fake.errors).toHaveLength(0);
    expect(fake.calls).toHaveLength(4);
  });

  it('builds permalinks unless one is set', async () => {
    fake.setPermalink(
      'C_GEN',
      '1700000100.000200',
      'https://example.slack.com/archives/C_GEN/p1700000100000200?thread_ts=1700000000.000100&cid=C_GEN',
    );
    const reply = await client.chat.getPermalink({ channel: 'C_GEN', message_ts: '1700000100.000200' });
    expect(reply.permalink).toContain('thread_ts=1700000000.000100');
    const top = await client.chat.getPermalink({ channel: 'C_GEN', message_ts: '1700000000.000100' });
    expect(top.permalink).toBe('https://example.slack.com/archives/C_GEN/p1700000000000100');
  });

  it('lets a trigger_id open one modal within 3 s of issue', async () => {
    const fresh = fake.issueTriggerId();
    clock += 2_999;
    const opened = await client.views.open({ trigger_id: fresh, view: modal() as never });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      hash: expect.any(String),
      callback_id: 'create_task',
    });

    await expect(client.views.open({ trigger_id: fresh, view: modal() as never })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
    const stale = fake.issueTriggerId();
    clock += 3_001;
    await expect(client.views.open({ trigger_id: stale, view: modal() as never })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });
    await expect(
      client.views.open({ trigger_id: 'made.up.id', view: modal() as never }),
    ).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
    expect(fake.errors.map((c) => c.response.error)).toEqual([
      'exchanged_trigger_id',
      'expired_trigger_id',
      'invalid_trigger_id',
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a 25-char title', { title: { type: 'plain_text', text: 'x'.repeat(25) } }, '/view/title/text'],
    ['input blocks without submit', { submit: undefined }, '/view/submit'],
    ['101 blocks', { blocks: Array.from({ length: 101 }, () => section('a')) }, '/view/blocks'],
    ['3001 chars of private_metadata', { private_metadata: 'x'.repeat(3001) }, '/view/private_metadata'],
    [
      'a 151-char header',
      { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      '/view/blocks/0/text/text',
    ],
    [
      'an input without element',
      { blocks: [{ type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'L' } }] },
      '/view/blocks/0/element',
    ],
    [
      'max_length over 3000',
      {
        blocks: [
          {
            type: 'input',
            block_id: 'b',
            label: { type: 'plain_text', text: 'L' },
            element: { type: 'plain_text_input', action_id: 'a', max_length: 3001 },
          },
        ],
      },
      '/view/blocks/0/element/max_length',
    ],
    [
      'an initial_value longer than max_length',
      {
        blocks: [
          {
            type: 'input',
            block_id: 'b',
            label: { type: 'plain_text', text: 'L' },
            element: {
              type: 'plain_text_input',
              action_id: 'a',
              max_length: 10,
              initial_value: 'x'.repeat(11),
            },
          },
        ],
      },
      '/view/blocks/0/element/initial_value',
    ],
    [
      'a 76-char button',
      {
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } },
            ],
          },
        ],
      },
      '/view/blocks/0/elements/0/text/text',
    ],
    [
      '101 static options with a 151-char value',
      {
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: 'Pick' },
            accessory: {
              type: 'static_select',
              action_id: 'p',
              options: Array.from({ length: 101 }, (_, i) => ({
                text: { type: 'plain_text', text: `P${i}` },
                value: i === 0 ? 'v'.repeat(151) : `${i}`,
              })),
            },
          },
        ],
      },
      '/view/blocks/0/accessory/options/0/value',
    ],
    [
      '11 context elements',
      {
        blocks: [
          { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        ],
      },
      '/view/blocks/0/elements',
    ],
    ['a 256-char block_id', { blocks: [section('a', 'b'.repeat(256))] }, '/view/blocks/0/block_id'],
  ])('refuses a modal with %s', async (_name, overrides, where) => {
    await expect(
      client.views.open({ trigger_id: fake.issueTriggerId(), view: modal(overrides) as never }),
    ).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(fake.errors).toHaveLength(1);
    expect(fake.errors[0].response.response_metadata.messages.join('\n')).toContain(`[json-pointer:${where}`);
  });

  it('updates views by id or external_id and rejects a stale hash', async () => {
    const { view } = await client.views.open({
      trigger_id: fake.issueTriggerId(),
      view: modal({ external_id: 'task-42' }) as never,
    });
    const first = view as { id: string; hash: string };
    const updated = await client.views.update({
      view_id: first.id,
      hash: first.hash,
      view: modal({ external_id: 'task-42' }) as never,
    });
    expect(updated.view?.hash).not.toBe(first.hash);
    await expect(
      client.views.update({ view_id: first.id, hash: first.hash, view: modal() as never }),
    ).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
    await expect(
      client.views.update({ external_id: 'task-42', view: modal() as never }),
    ).resolves.toMatchObject({
      view: { id: first.id },
    });
    expect(fake.view(first.id)?.hash).toBe(fake.callsTo('views.update')[2].response.view.hash);
  });

  it('limits a response_url to 5 posts in 30 minutes and records every post', async () => {
    const url = fake.responseUrl();
    const post = (body: object): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await post({ response_type: 'ephemeral' })).status).toBe(400);
    for (let i = 0; i < 5; i += 1) expect((await post({ text: `reply ${i}` })).status).toBe(200);
    const sixth = await post({ text: 'one too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });

    const later = fake.responseUrl();
    clock += 30 * 60_000 + 1;
    const expired = await fetch(later, { method: 'POST', body: JSON.stringify({ text: 'late' }) });
    expect(expired.status).toBe(404);

    expect(fake.responses(url).map((r) => r.status)).toEqual([400, 200, 200, 200, 200, 200, 404]);
    expect(fake.responses(later)[0]).toMatchObject({ error: 'expired_url', body: { text: 'late' } });
    expect(fake.errors.map((c) => c.response.error)).toEqual(['no_text', 'used_url', 'expired_url']);
  });

  it('only lets the app-level token open socket connections', async () => {
    await expect(client.apiCall('apps.connections.open')).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    const appClient = new webApi.WebClient(APP_TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(appClient.apps.connections.open()).resolves.toMatchObject({ url: fake.socketUrl });
  });
});

describe('SlackDriver against a Bolt app over HTTP', () => {
  let fake: FakeSlackServer;
  let app: App | undefined;
  let clock: number;
  let logger: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    clock = T0;
    fake = await FakeSlackServer.start({ now: () => clock });
    logger = capturingLogger();
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake.close();
  });

  /** Bolt's HTTPReceiver on an ephemeral loopback port; app.start() resolves with its http.Server. */
  async function startApp(register: (a: App) => void): Promise<SlackDriver> {
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      logger,
    });
    register(app);
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    return new SlackDriver({
      appUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      slack: fake,
    });
  }

  it('delivers a command that acks, opens a modal with the trigger and replies via response_url', async () => {
    const seen: Array<Record<string, string>> = [];
    const driver = await startApp((a) =>
      a.command('/asana', async ({ ack, body, client, respond }) => {
        seen.push(body as unknown as Record<string, string>);
        await ack();
        await client.views.open({ trigger_id: body.trigger_id, view: modal() as never });
        await respond({ text: 'Opened the form', response_type: 'ephemeral' });
      }),
    );

    const ack = await driver.command({ text: 'R&D <draft> + 50%' });

    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    expect(ack.ms).toBeLessThan(3000);
    expect(seen[0]).toMatchObject({
      text: 'R&D <draft> + 50%',
      user_id: 'U_REQ',
      channel_id: 'C_GEN',
      team_id: 'T_TEAM',
    });
    await fake.waitFor(() => fake.responses().length === 1);
    expect(fake.responses()[0]).toMatchObject({
      url: seen[0].response_url,
      status: 200,
      body: { text: 'Opened the form' },
    });
    expect(fake.callsTo('views.open')[0].args.trigger_id).toBe(seen[0].trigger_id);
    expect(fake.errors).toHaveLength(0);
  });

  it('sends the exact form bytes Slack does, and no text field when told to omit it', async () => {
    const texts: Array<string | undefined> = [];
    const driver = await startApp((a) =>
      a.command('/asana', async ({ ack, command }) => {
        texts.push(command.text);
        await ack('Usage: /asana create <title>');
      }),
    );
    const ack = await driver.command({ omitText: true });
    expect(texts).toEqual([undefined]);
    expect(ack.body).toBe('Usage: /asana create <title>');
  });

  it('is rejected with 401 when the signature is tampered with or the timestamp is stale', async () => {
    let runs = 0;
    const driver = await startApp((a) =>
      a.command('/asana', async ({ ack }) => {
        runs += 1;
        await ack();
      }),
    );

    driver.corruptSignature = true;
    expect((await driver.command({ text: 'x' })).status).toBe(401);
    driver.corruptSignature = false;
    driver.timestampOffsetSeconds = -6 * 60;
    expect((await driver.command({ text: 'x' })).status).toBe(401);
    driver.timestampOffsetSeconds = 0;
    expect(runs).toBe(0);

    // A body re-encoded after signing no longer matches, as behind a re-serializing proxy.
    const body = 'token=t&command=%2Fasana&text=R%26D';
    const signed = driver.signatureHeaders(body);
    const tampered = await driver.raw(
      body.replace('%26', '&'),
      { ...signed, 'content-type': 'application/x-www-form-urlencoded' },
      { sign: false },
    );
    expect(tampered.status).toBe(401);

    expect((await driver.command({ text: 'x' })).status).toBe(200);
    expect(runs).toBe(1);
  });

  it('refuses views.open when the app spends its 3 s trigger window before opening the modal', async () => {
    const outcome: string[] = [];
    const driver = await startApp((a) =>
      a.command('/asana', async ({ ack, body, client }) => {
        await ack();
        clock += 3_500; // a slow Asana call, on the fake's clock instead of a real sleep
        try {
          await client.views.open({ trigger_id: body.trigger_id, view: modal() as never });
          outcome.push('opened');
        } catch (error) {
          outcome.push(platformError(error) ?? 'unknown');
        }
      }),
    );
    await driver.command({ text: 'create Update onboarding doc' });
    await fake.waitFor(() => outcome.length === 1);
    expect(outcome).toEqual(['expired_trigger_id']);
    expect(fake.errors.map((c) => c.method)).toEqual(['views.open']);
  });

  it('submits a modal the app opened, with every input block in state.values', async () => {
    const submitted: any[] = [];
    const driver = await startApp((a) => {
      a.command('/asana', async ({ ack, body, client }) => {
        await ack();
        await client.views.open({ trigger_id: body.trigger_id, view: modal() as never });
      });
      a.view('create_task', async ({ ack, view, body }) => {
        submitted.push({ values: view.state.values, metadata: view.private_metadata, user: body.user.id });
        const title = view.state.values.title_block.title.value ?? '';
        if (title.trim() === '')
          await ack({ response_action: 'errors', errors: { title_block: 'Give the task a title' } });
        else await ack();
      });
    });
    await driver.command({ text: '' });
    await fake.waitFor(() => fake.callsTo('views.open').length === 1);
    const opened = fake.callsTo('views.open')[0];

    const invalid = await driver.viewSubmission({ view: opened, values: { title_block: { title: '   ' } } });
    expect(invalid.body).toEqual({
      response_action: 'errors',
      errors: { title_block: 'Give the task a title' },
    });
    expect(submitted[0]).toEqual({
      values: {
        title_block: { title: { type: 'plain_text_input', value: '   ' } },
        due_block: { due: { type: 'datepicker', selected_date: null } },
      },
      metadata: JSON.stringify({ channel: 'C_GEN' }),
      user: 'U_REQ',
    });

    const valid = await driver.viewSubmission({
      view: opened,
      values: { title_block: { title: 'Ship it' }, due_block: { due: '2024-02-01' } },
    });
    expect(valid).toMatchObject({ status: 200, body: '' });
    expect(submitted[1].values.due_block.due.selected_date).toBe('2024-02-01');

    // Slack's client will not submit an empty required input, so neither does the driver.
    await expect(driver.viewSubmission({ view: opened, values: {} })).rejects.toThrow(
      'required input title_block',
    );
  });

  it('delivers message shortcuts, block actions and options requests in Slack shapes', async () => {
    const shortcuts: any[] = [];
    const actions: any[] = [];
    const driver = await startApp((a) => {
      a.shortcut(
        { type: 'message_action', callback_id: 'create_task_from_message' },
        async ({ ack, shortcut, client }) => {
          await ack();
          const body = shortcut as any;
          const link = await client.chat.getPermalink({
            channel: body.channel.id,
            message_ts: body.message_ts,
          });
          shortcuts.push({ body, permalink: link.permalink });
        },
      );
      a.action('done', async ({ ack, body }) => {
        await ack();
        actions.push(body);
      });
      a.options('project', async ({ ack, options }) => {
        await ack({
          options: [{ text: { type: 'plain_text', text: `Web App (${options.value})` }, value: 'P_WEB' }],
        });
      });
    });

    await driver.messageShortcut({
      callback_id: 'create_task_from_message',
      message: {
        ts: '1700000100.000200',
        thread_ts: '1700000000.000100',
        user: 'U_OTHER',
        text: 'Fix the login bug',
      },
    });
    await fake.waitFor(() => shortcuts.length === 1);
    expect(shortcuts[0].body).toMatchObject({
      type: 'message_action',
      message_ts: '1700000100.000200',
      channel: { id: 'C_GEN', name: 'general' },
      team: { id: 'T_TEAM' },
      user: { id: 'U_REQ', team_id: 'T_TEAM' },
      message: { text: 'Fix the login bug', thread_ts: '1700000000.000100' },
    });
    expect(shortcuts[0].permalink).toBe('https://example.slack.com/archives/C_GEN/p1700000100000200');

    const button = {
      type: 'button',
      action_id: 'done',
      value: 'T1',
      text: { type: 'plain_text', text: 'Done' },
    };
    await driver.blockActions({
      message: {
        ts: '1700000200.000300',
        text: 'Task',
        blocks: [{ type: 'actions', block_id: 'task_actions', elements: [button] }],
      },
      actions: [{ action_id: 'done' }],
    });
    await fake.waitFor(() => actions.length === 1);
    expect(actions[0]).toMatchObject({
      container: { type: 'message', message_ts: '1700000200.000300', channel_id: 'C_GEN' },
      actions: [{ action_id: 'done', block_id: 'task_actions', value: 'T1', type: 'button' }],
      response_url: expect.stringContaining(fake.url),
    });

    const suggestion = await driver.blockSuggestion({
      action_id: 'project',
      block_id: 'project_block',
      value: 'web',
    });
    expect(suggestion.body.options[0]).toEqual({
      text: { type: 'plain_text', text: 'Web App (web)' },
      value: 'P_WEB',
    });
  });

  it('delivers events with the retry headers Bolt exposes as context', async () => {
    const seen: Array<{ retryNum?: number; retryReason?: string; text: string }> = [];
    const driver = await startApp((a) =>
      a.event('app_mention', async ({ event, context }) => {
        seen.push({ retryNum: context.retryNum, retryReason: context.retryReason, text: event.text });
      }),
    );
    const mention = {
      type: 'app_mention',
      user: 'U_REQ',
      channel: 'C_GEN',
      text: '<@U_BOT> hi',
      ts: '1700000300.000100',
    };
    const first = await driver.event(mention);
    const retry = await driver.event(mention, { retryNum: 1, eventId: first.eventId });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await fake.waitFor(() => seen.length === 2);
    expect(seen).toEqual([
      { retryNum: undefined, retryReason: undefined, text: '<@U_BOT> hi' },
      { retryNum: 1, retryReason: 'http_timeout', text: '<@U_BOT> hi' },
    ]);
  });
});

describe('Socket Mode through the fake', () => {
  let fake: FakeSlackServer;
  let app: App | undefined;

  beforeEach(async () => {
    fake = await FakeSlackServer.start();
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake.close();
  });

  it('greets the app with hello and receives its ack for a slash command envelope', async () => {
    const texts: string[] = [];
    app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      logger: capturingLogger(),
    });
    app.command('/asana', async ({ ack, command }) => {
      texts.push(command.text);
      await ack({ response_type: 'ephemeral', text: `Got ${command.text}` });
    });
    await app.start();
    await fake.socketConnected();

    expect(fake.callsTo('apps.connections.open')[0].token).toBe(APP_TOKEN);
    expect(fake.socket.sent[0]).toMatchObject({ type: 'hello', connection_info: { app_id: 'A_APP' } });

    const driver = new SlackDriver({ slack: fake, socketMode: true });
    const ack = await driver.command({ text: 'create Write docs' });
    expect(ack.body).toEqual({ response_type: 'ephemeral', text: 'Got create Write docs' });
    expect(ack.ms).toBeLessThan(3000);

    const raw = await fake.socketSend({
      type: 'slash_commands',
      payload: { command: '/asana', text: 'again' },
    });
    expect(raw).toMatchObject({ envelope_id: expect.any(String), payload: { text: 'Got again' } });
    expect(texts).toEqual(['create Write docs', 'again']);

    // Unlike HTTPReceiver (404 after 3001 ms), Socket Mode Bolt never acks a request nobody handled.
    await expect(
      fake.socketSend({ type: 'slash_commands', payload: { command: '/unknown', text: '' } }, 300),
    ).rejects.toThrow('not acknowledged within 300 ms');
  });

  it('survives a connection refused right after hello (too_many_websockets) and reconnects', async () => {
    fake.onSocketConnection((conn) => {
      if (conn.index === 1) conn.sendJson({ type: 'disconnect', reason: 'too_many_websockets' });
    });
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      clientPingTimeout: 600,
      logger: capturingLogger(),
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } },
    });
    app = new App({
      token: BOT_TOKEN,
      receiver,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      logger: capturingLogger(),
    });
    app.command('/asana', async ({ ack }) => {
      await ack();
    });
    await app.start();

    // socketConnected() ignores the refused connection and waits for the second one.
    await fake.socketConnected(5_000);
    expect(fake.socket.connectionsOpened).toBe(2);
    const ack = await new SlackDriver({ slack: fake, socketMode: true }).command({ text: 'x' });
    expect(ack.body).toBe('');
  });

  it('reconnects after a disconnect message and keeps receiving envelopes', async () => {
    const seen: string[] = [];
    // App does not expose the client's timing; a receiver with a short ping timeout reconnects in 0.6 s not 5 s.
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      clientPingTimeout: 600,
      logger: capturingLogger(),
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } },
    });
    app = new App({
      token: BOT_TOKEN,
      receiver,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      logger: capturingLogger(),
    });
    app.event('app_mention', async ({ event }) => {
      seen.push(event.text);
    });
    await app.start();
    await fake.socketConnected();

    fake.socketDisconnect('refresh_requested');
    await fake.waitFor(() => fake.callsTo('apps.connections.open').length === 2, 5_000);
    await fake.socketConnected();
    expect(fake.socket.connectionsOpened).toBe(2);

    const driver = new SlackDriver({ slack: fake, socketMode: true });
    const delivered = await driver.event({
      type: 'app_mention',
      user: 'U_REQ',
      channel: 'C_GEN',
      text: 'after reconnect',
    });
    expect(delivered.body).toBe('');
    expect(seen).toEqual(['after reconnect']);
  });
});
