import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { FakeSlackServer } from '../fakes/fake-slack-server';

/** How the app answered one delivery. Over Socket Mode `status` is 200 and `headers` is empty. */
export interface AckResult {
  status: number;
  /** Parsed JSON, else the text, else '' for an empty ack. */
  body: any;
  /** Wall time from sending to the complete ack. */
  ms: number;
  headers: Record<string, string>;
}

export interface SlackDriverOptions {
  /** The app's Bolt endpoint, e.g. http://127.0.0.1:<port>/slack/events; loopback only. */
  appUrl?: string;
  signingSecret?: string;
  slack: FakeSlackServer;
  /** Deliver through the fake's Socket Mode WebSocket instead of signed HTTP. */
  socketMode?: boolean;
  teamDomain?: string;
}

export interface UserAndTeam {
  user_id?: string;
  team_id?: string;
}

export interface MessageShortcutOptions extends UserAndTeam {
  callback_id: string;
  message: Record<string, any>;
  channel_id?: string;
}

export interface GlobalShortcutOptions extends UserAndTeam {
  callback_id: string;
}

export interface BlockActionsOptions extends UserAndTeam {
  /** The elements acted on; `block_id`, `type`, `text` and `value` are filled from the surface when missing. */
  actions: Array<Record<string, any>>;
  /** A message container: the message the buttons were in (needs `ts`). */
  message?: Record<string, any>;
  channel_id?: string;
  /** A view container: the view as answered by views.open (or its SlackCall). */
  view?: any;
  /** state.values for a view container, same shorthand as viewSubmission. */
  values?: Record<string, Record<string, any>>;
}

export interface ViewSubmissionOptions extends UserAndTeam {
  /** The view as answered by views.open/update/push, or the SlackCall that opened it. */
  view: any;
  /** block_id -> action_id -> state value; a string/array is shorthand for the element's natural field. */
  values: Record<string, Record<string, any>>;
  /** Send what Slack's client would refuse to (empty required inputs, too-long text). */
  skipClientValidation?: boolean;
}

export interface BlockSuggestionOptions extends UserAndTeam {
  action_id: string;
  block_id: string;
  value: string;
  view?: any;
  channel_id?: string;
}

export interface EventOptions {
  retryNum?: number;
  retryReason?: string;
  /** Reuse to model a redelivery of the same event. */
  eventId?: string;
  team_id?: string;
}

export interface CommandFields {
  text?: string;
  user_id?: string;
  channel_id?: string;
  command?: string;
  team_id?: string;
  /** Leave the `text` field out entirely, as some clients do. */
  omitText?: boolean;
  [field: string]: any;
}

// Slack's deprecated verification token still travels in every payload; Bolt ignores it.
const VERIFICATION_TOKEN = 'test-verification-token';
const DEFAULT_USER = 'U_REQ';
const DEFAULT_CHANNEL = 'C_GEN';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);
const SINGLE_SELECT_FIELD: Record<string, string> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
  datetimepicker: 'selected_date_time',
};
const MULTI_SELECT_FIELD: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};
const OPTION_SELECTS = new Set(['static_select', 'external_select', 'radio_buttons']);
const MULTI_OPTION_SELECTS = new Set(['multi_static_select', 'multi_external_select', 'checkboxes']);

function nowTs(): string {
  const ms = Date.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

/** Every element in a surface that can carry state, keyed by block_id then action_id. */
function elementsOf(blocks: unknown): Map<string, Map<string, Record<string, any>>> {
  const out = new Map<string, Map<string, Record<string, any>>>();
  if (!Array.isArray(blocks)) return out;
  for (const block of blocks) {
    if (typeof block?.block_id !== 'string') continue;
    const candidates = [
      block.element,
      block.accessory,
      ...(Array.isArray(block.elements) ? block.elements : []),
    ];
    for (const element of candidates) {
      if (typeof element?.action_id !== 'string') continue;
      const byAction = out.get(block.block_id) ?? new Map<string, Record<string, any>>();
      byAction.set(element.action_id, element);
      out.set(block.block_id, byAction);
    }
  }
  return out;
}

function optionFor(element: Record<string, any>, value: string): Record<string, any> {
  const options: any[] = [
    ...(element.options ?? []),
    ...(element.option_groups ?? []).flatMap((g: any) => g?.options ?? []),
  ];
  const found = options.find((o) => o?.value === value);
  return found ?? { text: { type: 'plain_text', text: value, emoji: true }, value };
}

/** The state.values entry Slack would send for an element given a test's value or shorthand. */
/** What Slack reports for an element the person left as the app prefilled it. */
function initialState(element: Record<string, any>): Record<string, any> | undefined {
  const pairs: Array<[string, string]> = [
    ['initial_value', 'value'],
    ['initial_option', 'selected_option'],
    ['initial_options', 'selected_options'],
    ['initial_user', 'selected_user'],
    ['initial_users', 'selected_users'],
    ['initial_date', 'selected_date'],
    ['initial_date_time', 'selected_date_time'],
    ['initial_conversation', 'selected_conversation'],
    ['initial_channel', 'selected_channel'],
  ];
  const found = pairs.find(([initial]) => element[initial] !== undefined);
  return found ? { [found[1]]: element[found[0]] } : undefined;
}

function stateValue(element: Record<string, any>, given: unknown): Record<string, any> {
  const type = element.type as string;
  if (given === undefined) {
    const initial = initialState(element);
    if (initial) return { type, ...initial };
  }
  if (given !== null && typeof given === 'object' && !Array.isArray(given)) return { type, ...given };
  if (TEXT_INPUTS.has(type)) return { type, value: given === undefined ? null : String(given) };
  if (OPTION_SELECTS.has(type)) {
    return { type, selected_option: given === undefined ? null : optionFor(element, String(given)) };
  }
  if (MULTI_OPTION_SELECTS.has(type)) {
    const list = given === undefined ? [] : Array.isArray(given) ? given : [given];
    return { type, selected_options: list.map((v) => optionFor(element, String(v))) };
  }
  if (type in SINGLE_SELECT_FIELD) return { type, [SINGLE_SELECT_FIELD[type]]: given ?? null };
  if (type in MULTI_SELECT_FIELD) {
    return {
      type,
      [MULTI_SELECT_FIELD[type]]: given === undefined ? [] : Array.isArray(given) ? given : [given],
    };
  }
  return given === undefined ? { type } : { type, value: given };
}

function isEmptyState(value: Record<string, any>): boolean {
  return Object.entries(value).every(
    ([key, v]) => key === 'type' || v === null || v === '' || (Array.isArray(v) && v.length === 0),
  );
}

/**
 * Delivers commands, shortcuts, interactions, options requests and events to a running Bolt app
 * the way Slack does: signed form posts (JSON for events) over HTTP, or envelopes over the fake's
 * Socket Mode WebSocket. Payloads are real-shaped and reference triggers and response URLs that
 * the fake Slack server issued, so the app's follow-up calls hit the fake's rules.
 */
export class SlackDriver {
  /** Added to the signing timestamp; -360 makes Bolt see a six-minute-old request. */
  timestampOffsetSeconds = 0;
  /** Flip one hex digit of the signature, as a tampering proxy would. */
  corruptSignature = false;

  private readonly slack: FakeSlackServer;
  private readonly appUrl?: URL;
  private readonly signingSecret: string;
  private readonly socketMode: boolean;
  private readonly teamDomain: string;

  constructor(options: SlackDriverOptions) {
    this.slack = options.slack;
    this.socketMode = options.socketMode ?? false;
    this.signingSecret = options.signingSecret ?? '';
    this.teamDomain = options.teamDomain ?? 'example';
    if (!this.socketMode) {
      if (options.appUrl === undefined)
        throw new Error('SlackDriver: appUrl is required unless socketMode is set');
      this.appUrl = new URL(options.appUrl);
      // The harness must never reach beyond this machine.
      if (this.appUrl.protocol !== 'http:' || !LOOPBACK_HOSTS.has(this.appUrl.hostname)) {
        throw new Error(`SlackDriver: refusing non-loopback appUrl ${options.appUrl}`);
      }
    }
  }

  /** A slash command, form-encoded as Slack sends it, with a fresh response_url and trigger_id. */
  async command(fields: CommandFields = {}): Promise<AckResult> {
    const { omitText, ...overrides } = fields;
    const userId = overrides.user_id ?? DEFAULT_USER;
    const channelId = overrides.channel_id ?? DEFAULT_CHANNEL;
    const form: Record<string, string> = {
      token: VERIFICATION_TOKEN,
      team_id: this.slack.teamId,
      team_domain: this.teamDomain,
      channel_id: channelId,
      channel_name: this.channelName(channelId),
      user_id: userId,
      user_name: this.userName(userId),
      command: '/asana',
      text: '',
      api_app_id: this.slack.appId,
      is_enterprise_install: 'false',
      response_url: this.slack.responseUrl(),
      trigger_id: this.slack.issueTriggerId(),
    };
    for (const [key, value] of Object.entries(overrides)) {
      if (value !== undefined) form[key] = String(value);
    }
    if (omitText === true) delete form.text;
    if (this.socketMode) return this.viaSocket('slash_commands', form);
    return this.post(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded', {});
  }

  /** Any interactive payload, sent as the form field `payload=<json>`. */
  async interaction(payload: object): Promise<AckResult> {
    if (this.socketMode) return this.viaSocket('interactive', payload);
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded', {});
  }

  async messageShortcut(opts: MessageShortcutOptions): Promise<AckResult> {
    const channelId = opts.channel_id ?? DEFAULT_CHANNEL;
    const message = { type: 'message', ...opts.message, ts: opts.message.ts ?? nowTs() };
    return this.interaction({
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: nowTs(),
      team: this.team(opts.team_id),
      user: this.user(opts.user_id, opts.team_id),
      channel: { id: channelId, name: this.channelName(channelId) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: opts.callback_id,
      trigger_id: this.slack.issueTriggerId(),
      response_url: this.slack.responseUrl(),
      message_ts: message.ts,
      message,
    });
  }

  async globalShortcut(opts: GlobalShortcutOptions): Promise<AckResult> {
    return this.interaction({
      type: 'shortcut',
      token: VERIFICATION_TOKEN,
      action_ts: nowTs(),
      team: this.team(opts.team_id),
      user: this.user(opts.user_id, opts.team_id),
      is_enterprise_install: false,
      enterprise: null,
      callback_id: opts.callback_id,
      trigger_id: this.slack.issueTriggerId(),
    });
  }

  async blockActions(opts: BlockActionsOptions): Promise<AckResult> {
    const base = {
      type: 'block_actions',
      token: VERIFICATION_TOKEN,
      api_app_id: this.slack.appId,
      team: this.team(opts.team_id),
      user: this.user(opts.user_id, opts.team_id),
      is_enterprise_install: false,
      enterprise: null,
    };
    if (opts.view !== undefined) {
      const view = this.resolveView(opts.view);
      const elements = elementsOf(view.blocks);
      return this.interaction({
        ...base,
        container: { type: 'view', view_id: view.id },
        trigger_id: this.slack.issueTriggerId(view.id),
        view: { ...view, state: { values: this.stateValues(view, opts.values ?? {}, true) } },
        actions: opts.actions.map((a) => this.fillAction(a, elements)),
      });
    }
    if (opts.message === undefined) throw new Error('blockActions: give a message or a view container');
    const channelId = opts.channel_id ?? DEFAULT_CHANNEL;
    const message: Record<string, any> = { type: 'message', ...opts.message, ts: opts.message.ts ?? nowTs() };
    const elements = elementsOf(message.blocks);
    return this.interaction({
      ...base,
      container: { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false },
      trigger_id: this.slack.issueTriggerId(),
      channel: { id: channelId, name: this.channelName(channelId) },
      message,
      state: { values: {} },
      response_url: this.slack.responseUrl(),
      actions: opts.actions.map((a) => this.fillAction(a, elements)),
    });
  }

  /** Submit a modal the app opened; state.values covers every input block, as Slack's does. */
  async viewSubmission(opts: ViewSubmissionOptions): Promise<AckResult> {
    const view = this.resolveView(opts.view);
    const values = this.stateValues(view, opts.values, opts.skipClientValidation ?? false);
    return this.interaction({
      type: 'view_submission',
      token: VERIFICATION_TOKEN,
      api_app_id: this.slack.appId,
      team: this.team(opts.team_id),
      user: this.user(opts.user_id, opts.team_id),
      trigger_id: this.slack.issueTriggerId(view.id),
      view: { ...view, state: { values } },
      response_urls: this.responseUrlsFor(view, values),
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  async viewClosed(opts: UserAndTeam & { view: any; is_cleared?: boolean }): Promise<AckResult> {
    const view = this.resolveView(opts.view);
    return this.interaction({
      type: 'view_closed',
      token: VERIFICATION_TOKEN,
      api_app_id: this.slack.appId,
      team: this.team(opts.team_id),
      user: this.user(opts.user_id, opts.team_id),
      view,
      is_cleared: opts.is_cleared ?? false,
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /** An options-load request for an external_select, as Slack sends after min_query_length chars. */
  async blockSuggestion(opts: BlockSuggestionOptions): Promise<AckResult> {
    const view = opts.view === undefined ? undefined : this.resolveView(opts.view);
    const channelId = opts.channel_id ?? DEFAULT_CHANNEL;
    return this.interaction({
      type: 'block_suggestion',
      token: VERIFICATION_TOKEN,
      api_app_id: this.slack.appId,
      team: this.team(opts.team_id),
      user: this.user(opts.user_id, opts.team_id),
      container:
        view === undefined
          ? { type: 'message', message_ts: nowTs(), channel_id: channelId, is_ephemeral: false }
          : { type: 'view', view_id: view.id },
      action_id: opts.action_id,
      block_id: opts.block_id,
      value: opts.value,
      action_ts: nowTs(),
      ...(view === undefined ? {} : { view }),
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /** An Events API delivery (JSON over HTTP, as Slack sends events); retries carry the retry headers. */
  async event(event: object, opts: EventOptions = {}): Promise<AckResult & { eventId: string }> {
    const eventId = opts.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    const teamId = opts.team_id ?? this.slack.teamId;
    const eventTs = nowTs();
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: teamId,
      context_team_id: teamId,
      api_app_id: this.slack.appId,
      event: { event_ts: eventTs, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: teamId,
          user_id: this.slack.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(12).toString('base64url')}`,
    };
    const retryReason = opts.retryReason ?? (opts.retryNum ? 'http_timeout' : undefined);
    if (this.socketMode) {
      const ack = await this.viaSocket('events_api', envelope, {
        retry_attempt: opts.retryNum ?? 0,
        retry_reason: retryReason ?? '',
      });
      return { ...ack, eventId };
    }
    const headers: Record<string, string> = {};
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (retryReason !== undefined) headers['x-slack-retry-reason'] = retryReason;
    const ack = await this.post(JSON.stringify(envelope), 'application/json', headers);
    return { ...ack, eventId };
  }

  /** Any body with any headers; signed with the current knobs unless `sign: false`, then `headers` win. */
  async raw(
    body: string,
    headers: Record<string, string>,
    opts: { sign?: boolean } = {},
  ): Promise<AckResult> {
    if (this.socketMode) throw new Error('SlackDriver.raw is HTTP only');
    return this.post(body, undefined, headers, opts.sign ?? true);
  }

  /** The two headers Slack signs a request with, over the exact body bytes. */
  signatureHeaders(body: string): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000) + this.timestampOffsetSeconds);
    let signature = `v0=${createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    if (this.corruptSignature) {
      const last = signature.slice(-1);
      signature = signature.slice(0, -1) + (last === '0' ? '1' : '0');
    }
    return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
  }

  private team(teamId?: string): Record<string, string> {
    return { id: teamId ?? this.slack.teamId, domain: this.teamDomain };
  }

  private user(userId?: string, teamId?: string): Record<string, string> {
    const id = userId ?? DEFAULT_USER;
    const name = this.userName(id);
    return { id, username: name, name, team_id: teamId ?? this.slack.user(id)?.team_id ?? this.slack.teamId };
  }

  private userName(userId: string): string {
    return this.slack.user(userId)?.name ?? userId.toLowerCase();
  }

  private channelName(channelId: string): string {
    const known = this.slack.channel(channelId)?.name;
    if (known !== undefined) return known;
    return channelId === DEFAULT_CHANNEL ? 'general' : channelId.toLowerCase();
  }

  /** Accepts a view, a views.* answer, or the SlackCall; returns the fake's latest version of it. */
  private resolveView(given: any): Record<string, any> {
    const candidate = given?.response?.view ?? given?.view ?? given;
    if (typeof candidate?.id !== 'string') {
      throw new Error('SlackDriver: pass the view as answered by views.open/update/push (it needs an id)');
    }
    return this.slack.view(candidate.id) ?? candidate;
  }

  private fillAction(
    action: Record<string, any>,
    elements: Map<string, Map<string, Record<string, any>>>,
  ): Record<string, any> {
    let blockId = action.block_id as string | undefined;
    let element: Record<string, any> | undefined;
    for (const [candidateBlock, byAction] of elements) {
      if ((blockId === undefined || blockId === candidateBlock) && byAction.has(action.action_id)) {
        blockId = candidateBlock;
        element = byAction.get(action.action_id);
        break;
      }
    }
    const fromElement: Record<string, any> = {};
    if (element !== undefined) {
      fromElement.type = element.type;
      if (element.text !== undefined) fromElement.text = element.text;
      if (element.value !== undefined) fromElement.value = element.value;
    }
    return {
      type: 'button',
      ...fromElement,
      block_id: blockId ?? 'unknown_block',
      action_ts: nowTs(),
      ...action,
    };
  }

  private stateValues(
    view: Record<string, any>,
    given: Record<string, Record<string, any>>,
    skipClientValidation: boolean,
  ): Record<string, Record<string, any>> {
    const elements = elementsOf(view.blocks);
    for (const [blockId, byAction] of Object.entries(given)) {
      for (const actionId of Object.keys(byAction)) {
        if (!elements.get(blockId)?.has(actionId)) {
          throw new Error(`SlackDriver: the view has no element ${blockId}/${actionId} to hold a value`);
        }
      }
    }
    const values: Record<string, Record<string, any>> = {};
    const blocks: any[] = Array.isArray(view.blocks) ? view.blocks : [];
    for (const block of blocks) {
      const byAction = elements.get(block?.block_id);
      if (byAction === undefined) continue;
      for (const [actionId, element] of byAction) {
        const provided = given[block.block_id]?.[actionId];
        // Slack always reports every input block; other elements only once the user touched them.
        if (provided === undefined && block.type !== 'input') continue;
        const value = stateValue(element, provided);
        if (!skipClientValidation && block.type === 'input') this.clientCheck(block, element, value);
        values[block.block_id] = { ...values[block.block_id], [actionId]: value };
      }
    }
    return values;
  }

  /** What Slack's client enforces before it will submit at all. */
  private clientCheck(
    block: Record<string, any>,
    element: Record<string, any>,
    value: Record<string, any>,
  ): void {
    if (block.optional !== true && isEmptyState(value)) {
      throw new Error(`SlackDriver: Slack would not submit with the required input ${block.block_id} empty`);
    }
    if (typeof value.value === 'string') {
      const length = Array.from(value.value).length;
      if (typeof element.max_length === 'number' && length > element.max_length) {
        throw new Error(`SlackDriver: ${block.block_id} is longer than its max_length ${element.max_length}`);
      }
      if (typeof element.min_length === 'number' && length > 0 && length < element.min_length) {
        throw new Error(
          `SlackDriver: ${block.block_id} is shorter than its min_length ${element.min_length}`,
        );
      }
    }
  }

  private responseUrlsFor(
    view: Record<string, any>,
    values: Record<string, Record<string, any>>,
  ): Array<Record<string, string>> {
    const blocks: any[] = Array.isArray(view.blocks) ? view.blocks : [];
    const urls: Array<Record<string, string>> = [];
    for (const block of blocks) {
      if (block?.type !== 'input' || block.element?.response_url_enabled !== true) continue;
      const state = values[block.block_id]?.[block.element.action_id] ?? {};
      const channelId = state.selected_conversation ?? state.selected_channel;
      // Slack only hands out a response_url once the user picked a conversation.
      if (typeof channelId !== 'string') continue;
      urls.push({
        block_id: block.block_id,
        action_id: block.element.action_id,
        channel_id: channelId,
        response_url: this.slack.responseUrl(),
      });
    }
    return urls;
  }

  private async viaSocket(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: object,
    extra: { retry_attempt?: number; retry_reason?: string } = {},
  ): Promise<AckResult> {
    const ack = await this.slack.socketSend({ type, payload, ...extra });
    const empty =
      ack.payload === undefined || (typeof ack.payload === 'object' && Object.keys(ack.payload).length === 0);
    // Bolt sends `{}` for a bare ack(); report it as '' so assertions match the HTTP transport.
    return { status: 200, body: empty ? '' : ack.payload, ms: ack.ms, headers: {} };
  }

  private post(
    body: string,
    contentType: string | undefined,
    extraHeaders: Record<string, string>,
    sign = true,
  ): Promise<AckResult> {
    const url = this.appUrl as URL;
    const bytes = Buffer.from(body, 'utf8');
    const headers: Record<string, string> = {
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'content-length': String(bytes.length),
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
      ...(sign ? this.signatureHeaders(body) : {}),
      ...extraHeaders,
    };
    const started = performance.now();
    return new Promise<AckResult>((resolve, reject) => {
      // agent:false means one connection per delivery, so app.stop() never waits on a kept-alive socket.
      const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders[key] = Array.isArray(value) ? value.join(', ') : value;
          }
          let parsed: any = text;
          if (text !== '' && (responseHeaders['content-type'] ?? '').includes('application/json')) {
            parsed = JSON.parse(text);
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            ms: performance.now() - started,
            headers: responseHeaders,
          });
        });
      });
      req.on('error', reject);
      req.end(bytes);
    });
  }
}
