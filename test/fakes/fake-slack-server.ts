import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FakeSocketModeServer,
  type SocketAck,
  type SocketConnectionHandle,
  type SocketEnvelope,
} from './fake-socket-mode-server';

/** One Web API call as the fake saw it; `args` has the JSON-valued form fields already parsed. */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
  token?: string;
  at: number;
  response: any;
}

export interface FakeSlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  /** IANA zone, e.g. 'Europe/Berlin'. */
  tz?: string;
  /** Seconds east of UTC; computed from `tz` at the fake's current time when not given. */
  tz_offset?: number;
  email?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_stranger?: boolean;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_im?: boolean;
  is_member?: boolean;
}

/** One POST the app made to a response_url, refused or not. */
export interface ResponseUrlPost {
  url: string;
  body: any;
  at: number;
  status: number;
  error?: string;
}

export interface FakeSlackServerOptions {
  teamId?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  now?: () => number;
}

/** A view as the fake stores it: what views.open/update/push/publish answered with, latest version. */
export type StoredView = Record<string, any> & { id: string; hash: string };

const TRIGGER_LIFETIME_MS = 3_000;
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
const RESPONSE_URL_MAX_USES = 5;
const VIEW_STACK_LIMIT = 3;
const SCHEDULE_MAX_AHEAD_MS = 120 * 24 * 60 * 60_000;

// Form fields the WebClient JSON-stringifies (it encodes every non-scalar argument this way).
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'unfurls', 'metadata', 'user_auth_blocks']);

const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  staticOptions: 100,
  overflowOptions: 5,
  checkboxOptions: 10,
  radioOptions: 10,
  placeholder: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  textInput: 3000,
  markdownBlock: 12_000,
  altText: 2000,
  viewTitle: 24,
  privateMetadata: 3000,
  id: 255,
  chatText: 40_000,
} as const;

/** An `{ok:false}` answer; `misuse` marks refusals a correct app never provokes (they land in `errors`). */
class Refusal extends Error {
  constructor(
    readonly error: string,
    readonly misuse: boolean,
    readonly messages: string[] = [],
  ) {
    super(error);
  }
}

/** Slack counts characters, not UTF-16 units, so an emoji counts once. */
function chars(text: string): number {
  return Array.from(text).length;
}

function pointer(path: string): string {
  return `[json-pointer:${path}]`;
}

function checkString(value: unknown, path: string, max: number, problems: string[], required = false): void {
  if (value === undefined || value === null) {
    if (required) problems.push(`[ERROR] missing required field ${pointer(path)}`);
    return;
  }
  if (typeof value !== 'string') {
    problems.push(`[ERROR] must be a string ${pointer(path)}`);
    return;
  }
  if (chars(value) > max) problems.push(`[ERROR] must be less than ${max + 1} characters ${pointer(path)}`);
}

function checkTextObject(
  obj: any,
  path: string,
  max: number,
  problems: string[],
  { plainOnly = false, required = true }: { plainOnly?: boolean; required?: boolean } = {},
): void {
  if (obj === undefined || obj === null) {
    if (required) problems.push(`[ERROR] missing required field ${pointer(path)}`);
    return;
  }
  if (typeof obj !== 'object' || typeof obj.text !== 'string') {
    problems.push(`[ERROR] must be a text object ${pointer(path)}`);
    return;
  }
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!allowed.includes(obj.type))
    problems.push(`[ERROR] must be one of ${allowed.join(', ')} ${pointer(`${path}/type`)}`);
  const n = chars(obj.text);
  if (n < 1) problems.push(`[ERROR] must be more than 0 characters ${pointer(`${path}/text`)}`);
  if (n > max) problems.push(`[ERROR] must be less than ${max + 1} characters ${pointer(`${path}/text`)}`);
}

function checkArray(value: unknown, path: string, min: number, max: number, problems: string[]): any[] {
  if (!Array.isArray(value)) {
    problems.push(`[ERROR] must be an array ${pointer(path)}`);
    return [];
  }
  if (value.length < min) problems.push(`[ERROR] must provide at least ${min} items ${pointer(path)}`);
  if (value.length > max)
    problems.push(`[ERROR] must provide an array of no more than ${max} items ${pointer(path)}`);
  return value;
}

function checkOption(option: any, path: string, problems: string[]): void {
  checkTextObject(option?.text, `${path}/text`, LIMITS.optionText, problems);
  checkString(option?.value, `${path}/value`, LIMITS.optionValue, problems);
  checkTextObject(option?.description, `${path}/description`, LIMITS.optionDescription, problems, {
    required: false,
  });
  checkString(option?.url, `${path}/url`, LIMITS.url, problems);
}

function checkOptions(
  element: any,
  path: string,
  maxOptions: number,
  problems: string[],
  required: boolean,
): void {
  if (element.options === undefined && element.option_groups === undefined) {
    if (required) problems.push(`[ERROR] must provide options or option_groups ${pointer(path)}`);
    return;
  }
  if (element.options !== undefined) {
    checkArray(element.options, `${path}/options`, 1, maxOptions, problems).forEach((o, i) =>
      checkOption(o, `${path}/options/${i}`, problems),
    );
  }
  if (element.option_groups !== undefined) {
    checkArray(element.option_groups, `${path}/option_groups`, 1, LIMITS.staticOptions, problems).forEach(
      (group, g) => {
        checkTextObject(group?.label, `${path}/option_groups/${g}/label`, LIMITS.optionText, problems, {
          plainOnly: true,
        });
        checkArray(
          group?.options,
          `${path}/option_groups/${g}/options`,
          1,
          LIMITS.staticOptions,
          problems,
        ).forEach((o, i) => checkOption(o, `${path}/option_groups/${g}/options/${i}`, problems));
      },
    );
  }
}

function checkElement(element: any, path: string, problems: string[]): void {
  if (element === null || typeof element !== 'object' || typeof element.type !== 'string') {
    problems.push(`[ERROR] must be a block element ${pointer(path)}`);
    return;
  }
  checkString(element.action_id, `${path}/action_id`, LIMITS.id, problems);
  checkTextObject(element.placeholder, `${path}/placeholder`, LIMITS.placeholder, problems, {
    plainOnly: true,
    required: false,
  });
  switch (element.type) {
    case 'button':
      checkTextObject(element.text, `${path}/text`, LIMITS.buttonText, problems, { plainOnly: true });
      checkString(element.value, `${path}/value`, LIMITS.buttonValue, problems);
      checkString(element.url, `${path}/url`, LIMITS.url, problems);
      break;
    case 'static_select':
    case 'multi_static_select':
      checkOptions(element, path, LIMITS.staticOptions, problems, true);
      break;
    case 'external_select':
    case 'multi_external_select':
      if (element.initial_option !== undefined)
        checkOption(element.initial_option, `${path}/initial_option`, problems);
      break;
    case 'overflow':
      checkOptions(element, path, LIMITS.overflowOptions, problems, true);
      break;
    case 'checkboxes':
      checkOptions(element, path, LIMITS.checkboxOptions, problems, true);
      break;
    case 'radio_buttons':
      checkOptions(element, path, LIMITS.radioOptions, problems, true);
      break;
    case 'plain_text_input': {
      const max = element.max_length;
      if (max !== undefined && (typeof max !== 'number' || max > LIMITS.textInput || max < 1)) {
        problems.push(`[ERROR] must be between 1 and ${LIMITS.textInput} ${pointer(`${path}/max_length`)}`);
      }
      const min = element.min_length;
      if (
        min !== undefined &&
        (typeof min !== 'number' || min > LIMITS.textInput || (typeof max === 'number' && min > max))
      ) {
        problems.push(
          `[ERROR] must be at most max_length and ${LIMITS.textInput} ${pointer(`${path}/min_length`)}`,
        );
      }
      // Without max_length Slack still caps the field at 3000, so the prefill must fit either way.
      const cap = typeof max === 'number' ? Math.min(max, LIMITS.textInput) : LIMITS.textInput;
      checkString(element.initial_value, `${path}/initial_value`, cap, problems);
      break;
    }
    case 'image':
      checkString(element.alt_text, `${path}/alt_text`, LIMITS.altText, problems, true);
      break;
    default:
      break;
  }
}

function checkBlock(block: any, path: string, problems: string[], blockIds: Set<string>): void {
  if (block === null || typeof block !== 'object' || typeof block.type !== 'string') {
    problems.push(`[ERROR] must be a block ${pointer(path)}`);
    return;
  }
  if (block.block_id !== undefined) {
    checkString(block.block_id, `${path}/block_id`, LIMITS.id, problems);
    if (blockIds.has(block.block_id))
      problems.push(`[ERROR] duplicate block_id ${pointer(`${path}/block_id`)}`);
    blockIds.add(block.block_id);
  }
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        problems.push(`[ERROR] must provide text or fields ${pointer(path)}`);
      }
      checkTextObject(block.text, `${path}/text`, LIMITS.sectionText, problems, { required: false });
      if (block.fields !== undefined) {
        checkArray(block.fields, `${path}/fields`, 1, LIMITS.sectionFields, problems).forEach((f, i) =>
          checkTextObject(f, `${path}/fields/${i}`, LIMITS.sectionField, problems),
        );
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${path}/accessory`, problems);
      break;
    case 'header':
      checkTextObject(block.text, `${path}/text`, LIMITS.headerText, problems, { plainOnly: true });
      break;
    case 'context':
      checkArray(block.elements, `${path}/elements`, 1, LIMITS.contextElements, problems).forEach((e, i) => {
        if (e?.type === 'plain_text' || e?.type === 'mrkdwn') {
          checkTextObject(e, `${path}/elements/${i}`, LIMITS.sectionText, problems);
        } else {
          checkElement(e, `${path}/elements/${i}`, problems);
        }
      });
      break;
    case 'actions':
      checkArray(block.elements, `${path}/elements`, 1, LIMITS.actionsElements, problems).forEach((e, i) =>
        checkElement(e, `${path}/elements/${i}`, problems),
      );
      break;
    case 'input':
      checkTextObject(block.label, `${path}/label`, LIMITS.inputLabel, problems, { plainOnly: true });
      checkTextObject(block.hint, `${path}/hint`, LIMITS.inputLabel, problems, {
        plainOnly: true,
        required: false,
      });
      if (block.element === undefined)
        problems.push(`[ERROR] missing required field ${pointer(`${path}/element`)}`);
      else checkElement(block.element, `${path}/element`, problems);
      break;
    case 'image':
      if (block.image_url === undefined && block.slack_file === undefined) {
        problems.push(`[ERROR] must provide image_url or slack_file ${pointer(path)}`);
      }
      checkString(block.image_url, `${path}/image_url`, LIMITS.url, problems);
      checkString(block.alt_text, `${path}/alt_text`, LIMITS.altText, problems, true);
      break;
    case 'markdown':
      checkString(block.text, `${path}/text`, LIMITS.markdownBlock, problems, true);
      break;
    default:
      break;
  }
}

function checkBlocks(blocks: unknown, path: string, maxBlocks: number, problems: string[]): void {
  if (blocks === undefined) return;
  // block_id must be unique across the whole surface, so every block shares one set.
  const blockIds = new Set<string>();
  checkArray(blocks, path, 0, maxBlocks, problems).forEach((b, i) =>
    checkBlock(b, `${path}/${i}`, problems, blockIds),
  );
}

/** Problems with a modal or Home tab view, as `[ERROR] ... [json-pointer:...]` lines like Slack's. */
function viewProblems(view: unknown, expectedType?: 'modal' | 'home'): string[] {
  const problems: string[] = [];
  if (view === null || typeof view !== 'object') return [`[ERROR] must be a view object ${pointer('/view')}`];
  const v = view as Record<string, any>;
  if (v.type !== 'modal' && v.type !== 'home')
    problems.push(`[ERROR] must be modal or home ${pointer('/view/type')}`);
  if (expectedType !== undefined && v.type !== expectedType) {
    problems.push(`[ERROR] must be ${expectedType} for this method ${pointer('/view/type')}`);
  }
  if (v.type === 'modal') {
    checkTextObject(v.title, '/view/title', LIMITS.viewTitle, problems, { plainOnly: true });
    checkTextObject(v.submit, '/view/submit', LIMITS.viewTitle, problems, {
      plainOnly: true,
      required: false,
    });
    checkTextObject(v.close, '/view/close', LIMITS.viewTitle, problems, { plainOnly: true, required: false });
    const hasInput = Array.isArray(v.blocks) && v.blocks.some((b: any) => b?.type === 'input');
    if (hasInput && v.submit === undefined) {
      problems.push(`[ERROR] submit is required when an input block is present ${pointer('/view/submit')}`);
    }
  }
  checkString(v.private_metadata, '/view/private_metadata', LIMITS.privateMetadata, problems);
  checkString(v.callback_id, '/view/callback_id', LIMITS.id, problems);
  checkString(v.external_id, '/view/external_id', LIMITS.id, problems);
  if (v.blocks === undefined) problems.push(`[ERROR] missing required field ${pointer('/view/blocks')}`);
  checkBlocks(v.blocks, '/view/blocks', LIMITS.surfaceBlocks, problems);
  return problems;
}

/** The refusal chat.postMessage & co. would give for this content, if any. */
function messageRefusal(args: Record<string, any>, requireContent: boolean): Refusal | undefined {
  if (typeof args.blocks === 'string') return new Refusal('invalid_blocks_format', true);
  const problems: string[] = [];
  checkBlocks(args.blocks, '/blocks', LIMITS.messageBlocks, problems);
  if (problems.length > 0) return new Refusal('invalid_blocks', true, problems);
  if (typeof args.text === 'string' && chars(args.text) > LIMITS.chatText)
    return new Refusal('msg_too_long', true);
  const hasText = typeof args.text === 'string' && args.text.length > 0;
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (requireContent && !hasText && !hasBlocks && !hasAttachments) return new Refusal('no_text', true);
  return undefined;
}

/** Seconds east of UTC for an IANA zone at a given instant (DST-aware, like Slack's tz_offset). */
function zoneOffsetSeconds(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(
    new Date(at),
  );
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (match === null) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

interface TriggerRecord {
  issuedAt: number;
  used: boolean;
  viewId?: string;
}

interface ResponseUrlRecord {
  issuedAt: number;
  uses: number;
}

type Handler = (args: Record<string, any>) => Record<string, unknown>;

/**
 * A fake Slack Web API plus response_url endpoint and Socket Mode WebSocket, on loopback only.
 * Point Bolt at it with `clientOptions.slackApiUrl = fake.apiUrl`. It records every call and
 * refuses what real Slack refuses for the limits that bite (block counts, text lengths, trigger
 * lifetime, response_url uses), so tests can assert `fake.errors` is empty.
 */
export class FakeSlackServer {
  readonly url: string;
  readonly apiUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly calls: SlackCall[] = [];
  /** Calls refused because the app broke a Slack rule: limits, missing args, trigger misuse, wrong token type. */
  readonly errors: SlackCall[] = [];
  /** Replace to move time for trigger, response_url and scheduling rules; also stamps `at`. */
  now: () => number;
  /** What apps.connections.open hands out; set to undefined to make it answer without a URL. */
  socketUrl: string | undefined;
  readonly socket: FakeSocketModeServer;

  private readonly users = new Map<string, FakeSlackUser>();
  private readonly channels = new Map<string, FakeSlackChannel>();
  private readonly triggers = new Map<string, TriggerRecord>();
  private readonly responseUrls = new Map<string, ResponseUrlRecord>();
  private readonly responsePosts: ResponseUrlPost[] = [];
  private readonly views = new Map<string, StoredView>();
  private readonly externalIds = new Map<string, string>();
  private readonly stackDepth = new Map<string, number>();
  private readonly permalinks = new Map<string, string>();
  private readonly deniedChannels = new Map<string, string>();
  private readonly failures = new Map<string, Array<{ error: string; retryAfter?: number }>>();
  private readonly handlers: Record<string, Handler>;
  private counter = 0;
  private tsCounter = 0;

  private constructor(
    private readonly server: Server,
    port: number,
    options: FakeSlackServerOptions,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    this.teamId = options.teamId ?? 'T_TEAM';
    this.botUserId = options.botUserId ?? 'U_BOT';
    this.botId = options.botId ?? 'B_BOT';
    this.appId = options.appId ?? 'A_APP';
    this.now = options.now ?? Date.now;
    this.socketUrl = `ws://127.0.0.1:${port}/link/`;
    this.socket = new FakeSocketModeServer({ appId: this.appId, now: () => this.now() });
    this.handlers = this.buildHandlers();
    this.addUser({ id: this.botUserId, name: 'asana-bridge', real_name: 'Asana Bridge', is_bot: true });
  }

  static async start(options: FakeSlackServerOptions = {}): Promise<FakeSlackServer> {
    let fake: FakeSlackServer | undefined;
    const server = createServer((req, res) => {
      // The server only gets requests after listen(), by which time `fake` is set.
      void fake?.route(req, res);
    });
    server.on('upgrade', (req, socket, head) => {
      if (fake !== undefined && (req.url ?? '').startsWith('/link'))
        fake.socket.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake = new FakeSlackServer(server, (server.address() as AddressInfo).port, options);
    return fake;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  addUser(user: Partial<FakeSlackUser> & { id: string }): FakeSlackUser {
    const stored: FakeSlackUser = {
      ...user,
      team_id: user.team_id ?? this.teamId,
      name: user.name ?? user.id.toLowerCase(),
      tz: user.tz ?? 'America/New_York',
    };
    this.users.set(stored.id, stored);
    return stored;
  }

  addChannel(channel: Partial<FakeSlackChannel> & { id: string }): FakeSlackChannel {
    const stored: FakeSlackChannel = { ...channel, name: channel.name ?? channel.id.toLowerCase() };
    this.channels.set(stored.id, stored);
    return stored;
  }

  /** A fresh trigger_id valid for 3 s of `now()`; `viewId` says which modal an interaction came from (for views.push). */
  issueTriggerId(viewId?: string): string {
    this.counter += 1;
    const id = `${this.counter}.${Math.floor(this.now() / 1000)}.${hex(12)}`;
    this.triggers.set(id, { issuedAt: this.now(), used: false, viewId });
    return id;
  }

  responseUrl(): string {
    this.counter += 1;
    const id = `${this.teamId}/${this.counter}/${hex(12)}`;
    this.responseUrls.set(id, { issuedAt: this.now(), uses: 0 });
    return `${this.url}/response/${id}`;
  }

  responses(url?: string): ResponseUrlPost[] {
    return url === undefined ? [...this.responsePosts] : this.responsePosts.filter((r) => r.url === url);
  }

  user(id: string): FakeSlackUser | undefined {
    return this.users.get(id);
  }

  channel(id: string): FakeSlackChannel | undefined {
    return this.channels.get(id);
  }

  /** The latest stored version of a view (after any views.update), or undefined. */
  view(viewId: string): StoredView | undefined {
    return this.views.get(viewId);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate()) {
      if (performance.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  failNext(method: string, error: string): void {
    this.queueFailure(method, { error });
  }

  /** The next call to `method` gets HTTP 429 with Retry-After, as Slack's rate limiter answers. */
  rateLimitNext(method: string, retryAfterSeconds = 1): void {
    this.queueFailure(method, { error: 'ratelimited', retryAfter: retryAfterSeconds });
  }

  setPermalink(channel: string, ts: string, permalink: string): void {
    this.permalinks.set(`${channel}/${ts}`, permalink);
  }

  /** Posts (chat.postMessage, postEphemeral, scheduleMessage) to this channel answer `error`. */
  denyPosting(channel: string, error = 'not_in_channel'): void {
    this.deniedChannels.set(channel, error);
  }

  socketSend(envelope: SocketEnvelope, timeoutMs?: number): Promise<SocketAck> {
    return this.socket.send(envelope, timeoutMs);
  }

  socketConnected(timeoutMs?: number): Promise<void> {
    return this.socket.connected(timeoutMs);
  }

  socketDisconnect(reason = 'warning'): void {
    this.socket.disconnect(reason);
  }

  onSocketConnection(listener: (conn: SocketConnectionHandle) => void): void {
    this.socket.onConnection(listener);
  }

  async close(): Promise<void> {
    await this.socket.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets from the app's fetch would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private queueFailure(method: string, failure: { error: string; retryAfter?: number }): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(failure);
    this.failures.set(method, queue);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = new URL(req.url ?? '/', this.url).pathname;
      const body = await readBody(req);
      if (req.method === 'POST' && path.startsWith('/api/')) this.handleApi(path.slice(5), req, body, res);
      else if (req.method === 'POST' && path.startsWith('/response/'))
        this.handleResponseUrl(path, req, body, res);
      else sendJson(res, 404, { ok: false, error: 'unknown_path' });
    } catch (error) {
      sendJson(res, 500, { ok: false, error: 'fake_internal_error', detail: String(error) });
    }
  }

  private parseBody(req: IncomingMessage, body: string): Record<string, any> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    if (body.length === 0) return {};
    if (type === 'application/json') {
      const parsed = JSON.parse(body);
      return parsed !== null && typeof parsed === 'object' ? parsed : {};
    }
    if (type === 'multipart/form-data') return { _multipart: true };
    const args: Record<string, any> = {};
    for (const [key, value] of new URLSearchParams(body)) {
      args[key] = value;
      if (JSON_FIELDS.has(key)) {
        try {
          args[key] = JSON.parse(value);
        } catch {
          // Leave it as the raw string; validation reports it the way Slack would.
        }
      }
    }
    return args;
  }

  private handleApi(method: string, req: IncomingMessage, body: string, res: ServerResponse): void {
    const args = this.parseBody(req, body);
    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const token = bearer || (typeof args.token === 'string' ? args.token : undefined);
    const call: SlackCall = { method, args, token, at: this.now(), response: undefined };
    this.calls.push(call);

    const failure = this.failures.get(method)?.shift();
    if (failure?.retryAfter !== undefined) {
      call.response = { ok: false, error: failure.error };
      sendJson(res, 429, call.response, { 'retry-after': String(failure.retryAfter) });
      return;
    }
    if (failure !== undefined) {
      call.response = { ok: false, error: failure.error };
      sendJson(res, 200, call.response);
      return;
    }

    try {
      this.checkToken(method, token);
      const handler = this.handlers[method];
      call.response = { ok: true, ...(handler === undefined ? {} : handler(args)) };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      call.response = { ok: false, error: error.error };
      if (error.messages.length > 0) call.response.response_metadata = { messages: error.messages };
      if (error.misuse) this.errors.push(call);
    }
    sendJson(res, 200, call.response);
  }

  private checkToken(method: string, token: string | undefined): void {
    if (token === undefined || token === '') throw new Refusal('not_authed', true);
    const appLevel = token.startsWith('xapp-');
    // Only apps.connections.* take the app-level token, and they take nothing else.
    if (method.startsWith('apps.connections.') !== appLevel)
      throw new Refusal('not_allowed_token_type', true);
  }

  private buildHandlers(): Record<string, Handler> {
    return {
      'auth.test': () => ({
        url: 'https://example.slack.com/',
        team: 'Example Team',
        user: 'asana-bridge',
        team_id: this.teamId,
        user_id: this.botUserId,
        bot_id: this.botId,
        is_enterprise_install: false,
      }),
      'apps.connections.open': () => (this.socketUrl === undefined ? {} : { url: this.socketUrl }),
      'users.info': (args) => {
        const user = this.users.get(String(args.user ?? ''));
        if (user === undefined) throw new Refusal('user_not_found', false);
        return { user: this.userObject(user) };
      },
      'users.lookupByEmail': (args) => {
        const email = String(args.email ?? '').toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email && email !== '');
        if (user === undefined) throw new Refusal('users_not_found', false);
        return { user: this.userObject(user) };
      },
      'conversations.info': (args) => {
        const id = this.requireChannel(args);
        const known = this.channels.get(id);
        return {
          channel: {
            id,
            name: known?.name ?? id.toLowerCase(),
            is_channel: id.startsWith('C'),
            is_group: id.startsWith('G'),
            is_im: known?.is_im ?? id.startsWith('D'),
            is_private: known?.is_private ?? id.startsWith('G'),
            is_member: known?.is_member ?? true,
            context_team_id: this.teamId,
          },
        };
      },
      'chat.postMessage': (args) => {
        const channel = this.requirePostableChannel(args);
        const refusal = messageRefusal(args, true);
        if (refusal !== undefined) throw refusal;
        const ts = this.nextTs();
        return { channel, ts, message: this.messageObject(args, ts) };
      },
      'chat.postEphemeral': (args) => {
        this.requirePostableChannel(args);
        if (typeof args.user !== 'string' || args.user === '') throw new Refusal('user_not_found', true);
        const refusal = messageRefusal(args, true);
        if (refusal !== undefined) throw refusal;
        return { message_ts: this.nextTs() };
      },
      'chat.update': (args) => {
        const channel = this.requireChannel(args);
        if (typeof args.ts !== 'string' || args.ts === '') throw new Refusal('message_not_found', true);
        const refusal = messageRefusal(args, false);
        if (refusal !== undefined) throw refusal;
        return { channel, ts: args.ts, text: args.text ?? '', message: this.messageObject(args, args.ts) };
      },
      'chat.scheduleMessage': (args) => {
        const channel = this.requirePostableChannel(args);
        const refusal = messageRefusal(args, true);
        if (refusal !== undefined) throw refusal;
        const postAt = Number(args.post_at);
        if (!Number.isFinite(postAt)) throw new Refusal('invalid_time', true);
        if (postAt * 1000 <= this.now()) throw new Refusal('time_in_past', true);
        if (postAt * 1000 > this.now() + SCHEDULE_MAX_AHEAD_MS) throw new Refusal('time_too_far', true);
        this.counter += 1;
        return { channel, scheduled_message_id: `Q${this.counter}`, post_at: postAt };
      },
      'chat.getPermalink': (args) => {
        const channel = this.requireChannel(args);
        const ts = typeof args.message_ts === 'string' ? args.message_ts : '';
        if (ts === '') throw new Refusal('message_not_found', true);
        const permalink =
          this.permalinks.get(`${channel}/${ts}`) ??
          `https://example.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
        return { channel, permalink };
      },
      'views.open': (args) => {
        this.useTrigger(args.trigger_id);
        const view = this.requireView(args.view, 'modal');
        return { view: this.storeView(view, undefined) };
      },
      'views.push': (args) => {
        const trigger = this.useTrigger(args.trigger_id);
        const view = this.requireView(args.view, 'modal');
        const parent = trigger.viewId === undefined ? undefined : this.views.get(trigger.viewId);
        const rootId = parent?.root_view_id ?? parent?.id;
        if (rootId !== undefined && (this.stackDepth.get(rootId) ?? 1) >= VIEW_STACK_LIMIT) {
          throw new Refusal('push_limit_reached', false);
        }
        return { view: this.storeView(view, parent) };
      },
      'views.update': (args) => {
        const id =
          typeof args.view_id === 'string' && args.view_id !== ''
            ? args.view_id
            : this.externalIds.get(String(args.external_id ?? ''));
        const current = id === undefined ? undefined : this.views.get(id);
        if (current === undefined) throw new Refusal('not_found', false);
        if (typeof args.hash === 'string' && args.hash !== '' && args.hash !== current.hash) {
          throw new Refusal('hash_conflict', false);
        }
        const view = this.requireView(args.view, current.type === 'home' ? 'home' : 'modal', current.id);
        return { view: this.replaceView(current, view) };
      },
      'views.publish': (args) => {
        if (typeof args.user_id !== 'string' || args.user_id === '')
          throw new Refusal('invalid_arguments', true);
        const existing = [...this.views.values()].find(
          (v) => v.type === 'home' && v.user_id === args.user_id,
        );
        const view = this.requireView(args.view, 'home', existing?.id);
        if (existing !== undefined) {
          if (typeof args.hash === 'string' && args.hash !== '' && args.hash !== existing.hash) {
            throw new Refusal('hash_conflict', false);
          }
          return { view: this.replaceView(existing, view) };
        }
        return { view: this.storeView({ ...view, user_id: args.user_id }, undefined) };
      },
    };
  }

  private userObject(user: FakeSlackUser): Record<string, unknown> {
    const tz = user.tz ?? 'America/New_York';
    const profile: Record<string, unknown> = {
      real_name: user.real_name ?? '',
      real_name_normalized: user.real_name ?? '',
      display_name: user.display_name ?? '',
      display_name_normalized: user.display_name ?? '',
    };
    if (user.email !== undefined) profile.email = user.email;
    const out: Record<string, unknown> = {
      id: user.id,
      team_id: user.team_id,
      name: user.name,
      deleted: user.deleted ?? false,
      real_name: user.real_name ?? '',
      tz,
      tz_label: tz,
      tz_offset: user.tz_offset ?? zoneOffsetSeconds(tz, this.now()),
      is_bot: user.is_bot ?? false,
      is_app_user: false,
      profile,
    };
    if (user.is_stranger !== undefined) out.is_stranger = user.is_stranger;
    return out;
  }

  private messageObject(args: Record<string, any>, ts: string): Record<string, unknown> {
    return {
      type: 'message',
      ts,
      user: this.botUserId,
      bot_id: this.botId,
      app_id: this.appId,
      team: this.teamId,
      text: args.text ?? '',
      ...(args.blocks === undefined ? {} : { blocks: args.blocks }),
      ...(args.thread_ts === undefined ? {} : { thread_ts: args.thread_ts }),
    };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private requireChannel(args: Record<string, any>): string {
    if (typeof args.channel !== 'string' || args.channel === '') throw new Refusal('channel_not_found', true);
    return args.channel;
  }

  private requirePostableChannel(args: Record<string, any>): string {
    const channel = this.requireChannel(args);
    const denied = this.deniedChannels.get(channel);
    if (denied !== undefined) throw new Refusal(denied, false);
    return channel;
  }

  private useTrigger(triggerId: unknown): TriggerRecord {
    const trigger = typeof triggerId === 'string' ? this.triggers.get(triggerId) : undefined;
    if (trigger === undefined) throw new Refusal('invalid_trigger_id', true);
    if (trigger.used) throw new Refusal('exchanged_trigger_id', true);
    if (this.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) throw new Refusal('expired_trigger_id', true);
    trigger.used = true;
    return trigger;
  }

  private requireView(view: unknown, type: 'modal' | 'home', replacing?: string): Record<string, any> {
    if (typeof view === 'string')
      throw new Refusal('invalid_arguments', true, ['[ERROR] view is not valid JSON']);
    const problems = viewProblems(view, type);
    if (problems.length > 0) throw new Refusal('invalid_arguments', true, problems);
    if (JSON.stringify(view).length > 250_000) throw new Refusal('view_too_large', true);
    const v = view as Record<string, any>;
    const owner = typeof v.external_id === 'string' ? this.externalIds.get(v.external_id) : undefined;
    if (owner !== undefined && owner !== replacing) {
      throw new Refusal('duplicate_external_id', false);
    }
    return v;
  }

  private newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${hex(4)}`;
  }

  private storeView(view: Record<string, any>, parent: StoredView | undefined): StoredView {
    this.counter += 1;
    const id = `V${String(this.counter).padStart(8, '0')}`;
    const rootId = parent === undefined ? id : (parent.root_view_id ?? parent.id);
    const stored: StoredView = {
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...view,
      id,
      team_id: this.teamId,
      state: { values: {} },
      hash: this.newHash(),
      previous_view_id: parent?.id ?? null,
      root_view_id: rootId,
      app_id: this.appId,
      bot_id: this.botId,
    };
    this.views.set(id, stored);
    if (stored.external_id !== '') this.externalIds.set(stored.external_id, id);
    this.stackDepth.set(rootId, parent === undefined ? 1 : (this.stackDepth.get(rootId) ?? 1) + 1);
    return stored;
  }

  private replaceView(current: StoredView, view: Record<string, any>): StoredView {
    const next: StoredView = {
      private_metadata: '',
      callback_id: '',
      external_id: current.external_id ?? '',
      ...view,
      id: current.id,
      team_id: current.team_id,
      state: current.state,
      hash: this.newHash(),
      previous_view_id: current.previous_view_id,
      root_view_id: current.root_view_id,
      app_id: this.appId,
      bot_id: this.botId,
      ...(current.user_id === undefined ? {} : { user_id: current.user_id }),
    };
    this.views.set(current.id, next);
    if (next.external_id !== '') this.externalIds.set(next.external_id, current.id);
    return next;
  }

  private handleResponseUrl(path: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const url = `${this.url}${path}`;
    let body: any = raw;
    try {
      // Slack reads response_url bodies as JSON whatever the content-type says.
      body = raw.trimStart().startsWith('{') ? JSON.parse(raw) : this.parseBody(req, raw);
    } catch {
      // Keep the raw text; it is refused below as an invalid payload.
    }
    const post: ResponseUrlPost = { url, body, at: this.now(), status: 200 };
    this.responsePosts.push(post);

    const refuse = (status: number, error: string): void => {
      post.status = status;
      post.error = error;
      this.errors.push({ method: 'response_url', args: body, at: post.at, response: { ok: false, error } });
      sendJson(res, status, { ok: false, error });
    };
    const record = this.responseUrls.get(path.slice('/response/'.length));
    if (record === undefined) return refuse(404, 'invalid_url');
    if (this.now() - record.issuedAt > RESPONSE_URL_LIFETIME_MS) return refuse(404, 'expired_url');
    if (record.uses >= RESPONSE_URL_MAX_USES) return refuse(404, 'used_url');
    if (typeof body !== 'object' || body === null) return refuse(400, 'invalid_payload');
    const refusal = messageRefusal(body, body.delete_original !== true && body.delete_original !== 'true');
    if (refusal !== undefined) return refuse(400, refusal.error);
    record.uses += 1;
    sendJson(res, 200, { ok: true });
  }
}
