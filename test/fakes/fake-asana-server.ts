/**
 * An in-memory emulator of the parts of the Asana REST API the bridge uses, served over node:http on
 * 127.0.0.1. Tests point the real `asana` client at `basePath`, seed the model with the `add*`
 * helpers, script failures with `fail()`, and read back what happened from `requests`.
 *
 * The behaviour follows Asana's OpenAPI spec (response envelopes, compact vs full records,
 * `opt_fields`, pagination tokens, error bodies) and what integrators have observed from the live API
 * where the spec is silent (error wording, the "result too large" 400, followers added on create).
 * Where the emulator had to guess, the guess is named in a comment next to the code.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// ---------------------------------------------------------------------------------------------------
// Public types

export interface RecordedRequest {
  method: string;
  /** Without the `/api/1.0` prefix and without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  // `any` on purpose: tests dig into request bodies of every shape without casting.
  body: any;
  /** Status sent back; 0 while no response has been sent (hung, delayed or dropped). */
  status: number;
  /** Date.now() when the request was received. */
  at: number;
}

export interface FaultRule {
  method?: string;
  path?: string | RegExp;
  /** How many matching requests the rule applies to (default 1); Infinity is allowed. */
  times?: number;
  status?: number;
  /** Retry-After for 429, in seconds (default 1); written exactly as given, fractions included. */
  retryAfterSeconds?: number;
  phrase?: string;
  message?: string;
  delayMs?: number;
  hang?: boolean;
  /** Perform the request's effect, then reply with `status` (or hang when no status is set). */
  applyThenFail?: boolean;
}

export interface Workspace {
  gid: string;
  name: string;
  is_organization: boolean;
  email_domains: string[];
}

export interface User {
  gid: string;
  name: string;
  email: string;
  /** Gids of the workspaces the user belongs to. */
  workspaces: string[];
}

export interface Project {
  gid: string;
  name: string;
  workspace: string;
  archived: boolean;
  team: string | null;
  notes: string;
  color: string | null;
  created_at: string;
  modified_at: string;
}

export interface Section {
  gid: string;
  name: string;
  project: string;
  created_at: string;
}

export interface TaskMembership {
  project: string;
  /** Null only when the project has no sections at all (see `render` of memberships). */
  section: string | null;
}

export type TaskSubtype = 'default_task' | 'milestone' | 'approval';

/** A task as the model holds it: references are gids, timestamps ISO strings. */
export interface Task {
  gid: string;
  name: string;
  resource_subtype: TaskSubtype;
  notes: string;
  html_notes: string;
  completed: boolean;
  completed_at: string | null;
  due_on: string | null;
  due_at: string | null;
  start_on: string | null;
  start_at: string | null;
  assignee: string | null;
  followers: string[];
  /** Kept in step with `memberships`; one entry per project, in the order the task joined them. */
  projects: string[];
  memberships: TaskMembership[];
  workspace: string;
  parent: string | null;
  created_by: string | null;
  created_at: string;
  modified_at: string;
}

export interface Story {
  gid: string;
  task: string;
  type: 'comment' | 'system';
  resource_subtype: string;
  text: string;
  html_text: string;
  is_pinned: boolean;
  created_by: string | null;
  created_at: string;
}

export interface UserTaskList {
  gid: string;
  name: string;
  owner: string;
  workspace: string;
}

export interface FakeAsanaServerOptions {
  token?: string;
  latencyMs?: number;
  premium?: boolean;
  /** Clock for created_at/modified_at/completed_at and `completed_since=now`; defaults to the wall clock. */
  now?: () => Date;
}

// ---------------------------------------------------------------------------------------------------
// Constants

const API_PREFIX = '/api/1.0';
const DEFAULT_TOKEN = 'test-asana-pat';
const FIRST_GID = 1200000000000001;
const ERRORS_HELP =
  'For more information on API status codes and how to handle them, read the docs on errors: ' +
  'https://developers.asana.com/docs/errors';
const TOO_LARGE_MESSAGE =
  'The result is too large. You should use pagination (may require specifying a workspace)!';
const MAX_PAGE_SIZE = 100;
/** The users-of-a-workspace endpoint is documented as "limited to 2000" rather than rejecting big results. */
const WORKSPACE_USERS_CAP = 2000;
const TYPEAHEAD_DEFAULT_COUNT = 20;
// The spec documents the search page cap (100) but not the default page size; 20 matches Asana's
// other unpaginated defaults (typeahead) and is an assumption.
const SEARCH_DEFAULT_LIMIT = 20;
/** Splits a space-separated list; keeps long keyword lists readable. */
function words(list: string): string[] {
  return list.split(' ');
}

const RICH_TEXT_TAGS = new Set(words('body strong em u s code ol ul li a h1 h2 hr pre blockquote'));
const LINK_ATTRIBUTES = new Set(
  words(
    'href data-asana-gid data-asana-project data-asana-tag data-asana-dynamic data-asana-accessible data-asana-type',
  ),
);
const TYPEAHEAD_TYPES = new Set(
  words('actor agent custom_field goal project project_template portfolio tag task team user'),
);
const SEARCH_SORTS = new Set(words('due_date created_at completed_at likes modified_at relevance'));
const DEFAULT_FAULT_MESSAGES: Record<number, string> = {
  400: 'Invalid Request',
  401: 'Not Authorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'You have made too many requests recently. Please, be chill.',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

// ---------------------------------------------------------------------------------------------------
// Rendering: model records -> JSON, shaped by compact/full defaults or by opt_fields

type ResourceType =
  'workspace' | 'user' | 'project' | 'section' | 'task' | 'story' | 'user_task_list' | 'team' | 'tag';

/** A reference to another record; rendered according to the field selection in force. */
class Ref {
  constructor(
    readonly type: ResourceType,
    readonly gid: string,
  ) {}
}

type Value = string | number | boolean | null | Ref | Value[] | { [key: string]: Value };
type Getters = Record<string, () => Value | undefined>;

/** Parsed opt_fields: each key maps to the sub-selection under it (empty map = the field itself). */
type FieldTree = Map<string, FieldTree>;
/** 'ref' renders only gid + resource_type: what Asana returns for `opt_fields=assignee`. */
type Selection = 'compact' | 'full' | 'ref' | FieldTree;

const COMPACT_FIELDS: Record<ResourceType, string[]> = {
  workspace: ['gid', 'resource_type', 'name'],
  user: ['gid', 'resource_type', 'name'],
  project: ['gid', 'resource_type', 'name'],
  section: ['gid', 'resource_type', 'name'],
  task: ['gid', 'resource_type', 'name', 'resource_subtype'],
  story: ['gid', 'resource_type', 'created_at', 'created_by', 'resource_subtype', 'text'],
  user_task_list: ['gid', 'resource_type', 'name', 'owner', 'workspace'],
  team: ['gid', 'resource_type', 'name'],
  tag: ['gid', 'resource_type', 'name'],
};

// Full records leave out the fields the spec marks "Opt In" (html_notes, created_by on tasks).
const FULL_FIELDS: Record<ResourceType, string[]> = {
  workspace: ['gid', 'resource_type', 'name', 'email_domains', 'is_organization'],
  user: ['gid', 'resource_type', 'name', 'email', 'photo', 'workspaces'],
  project: words(
    'gid resource_type name archived color completed created_at modified_at notes members followers owner team workspace permalink_url',
  ),
  section: ['gid', 'resource_type', 'name', 'created_at', 'project'],
  task: words(
    'gid resource_type name resource_subtype assignee completed completed_at created_at due_at due_on followers memberships modified_at notes num_subtasks parent permalink_url projects start_at start_on tags workspace',
  ),
  story: words(
    'gid resource_type created_at created_by resource_subtype text type is_pinned is_edited is_editable target',
  ),
  user_task_list: ['gid', 'resource_type', 'name', 'owner', 'workspace'],
  team: ['gid', 'resource_type', 'name'],
  tag: ['gid', 'resource_type', 'name'],
};

function parseOptFields(raw: string[]): FieldTree | undefined {
  const paths = raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (paths.length === 0) return undefined;
  const root: FieldTree = new Map();
  for (const path of paths) {
    let node = root;
    for (const part of path.split('.')) {
      let next = node.get(part);
      if (!next) {
        next = new Map();
        node.set(part, next);
      }
      node = next;
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------------
// Errors and small validators

/** An Asana-shaped failure raised by a handler; becomes `{errors:[{message, help}]}`. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string): ApiError => new ApiError(400, message);
const notRecognized = (field: string, value: unknown): ApiError =>
  new ApiError(404, `${field}: Not a recognized ID: ${String(value)}`);

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; UTC avoids DST edges.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isDateTime(value: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  if (!m || !isCalendarDate(m[1])) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return false;
  return !Number.isNaN(Date.parse(value));
}

/** Orders numeric gids numerically (they exceed 2^53 in real data) and anything else as text. */
function compareGids(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a.localeCompare(b);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_all, name: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[name]) return named[name];
    const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

const richTextParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  commentPropName: '#comment',
});

type XmlNode = Record<string, unknown>;

/**
 * Checks Asana rich text (html_notes, html_text) and returns its plain-text form. Asana answers 400
 * for XML that is not well formed, for anything but a single <body> root, and for tags outside its
 * set; integrators match on `xml_parsing_error`, so every message here carries that marker.
 */
function parseRichText(field: string, xml: string): string {
  const fail = (detail: string): never => {
    throw badRequest(`${field}: xml_parsing_error: ${detail}`);
  };
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) fail(`${verdict.err.msg} (line ${verdict.err.line}, col ${verdict.err.col})`);
  // The validator lets undefined entities such as &nbsp; through; XML only predefines five.
  const stray = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)[^\s;]*;?/.exec(xml);
  if (stray) fail(`Undefined entity '${stray[0]}'`);

  const roots = (richTextParser.parse(xml) as XmlNode[]).filter((n) => !('#comment' in n));
  if (roots.length !== 1 || !('body' in roots[0])) fail('The root element must be a single <body>');

  const text: string[] = [];
  const walk = (nodes: XmlNode[]): void => {
    for (const node of nodes) {
      for (const [key, children] of Object.entries(node)) {
        if (key === ':@' || key === '#comment') continue;
        if (key === '#text') {
          text.push(decodeEntities(String(children)));
          continue;
        }
        if (!RICH_TEXT_TAGS.has(key)) fail(`Unsupported tag <${key}>`);
        const attrs = Object.keys((node[':@'] as Record<string, string> | undefined) ?? {});
        for (const attr of attrs) {
          if (key !== 'a' || !LINK_ATTRIBUTES.has(attr)) fail(`Unsupported attribute '${attr}' on <${key}>`);
        }
        walk(children as XmlNode[]);
        if (key === 'li' || key === 'h1' || key === 'h2' || key === 'hr') text.push('\n');
      }
    }
  };
  walk(roots);
  return text.join('');
}

function errorBody(status: number, message: string, phrase?: string): unknown {
  // The documented 401 body is exactly {message:'Not Authorized'}; the others carry Asana's help link.
  if (status === 401) return { errors: [{ message }] };
  const error: Record<string, string> = { message, help: ERRORS_HELP };
  if (status >= 500 && phrase !== undefined) error.phrase = phrase;
  return { errors: [error] };
}

const PHRASE_WORDS = {
  adjectives: ['sad', 'brave', 'quiet', 'sleepy', 'fuzzy', 'clever', 'tiny', 'jolly'],
  nouns: ['squid', 'otters', 'lamps', 'badgers', 'kites', 'pebbles', 'wombats', 'comets'],
  verbs: ['snuggle', 'wander', 'giggle', 'tumble', 'whistle', 'dance', 'ponder', 'drift'],
  adverbs: ['softly', 'boldly', 'slowly', 'gladly', 'wildly', 'calmly', 'oddly', 'neatly'],
};

/** A support phrase in the style of Asana's 500 bodies: a number and four random words. */
function randomPhrase(): string {
  const pick = (words: string[]): string => words[Math.floor(Math.random() * words.length)];
  const n = 2 + Math.floor(Math.random() * 20);
  const { adjectives, nouns, verbs, adverbs } = PHRASE_WORDS;
  return `${n} ${pick(adjectives)} ${pick(nouns)} ${pick(verbs)} ${pick(adverbs)}`;
}

// ---------------------------------------------------------------------------------------------------
// Request plumbing

interface RequestContext {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Query parameters in arrival order, for rebuilding next_page.path. */
  queryPairs: [string, string][];
  body: unknown;
  bodyInvalid: boolean;
  fields: FieldTree | undefined;
}

interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Handler = (ctx: RequestContext, params: string[]) => HandlerResult;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** The writable task fields of a create or update request, validated; dates may be null (cleared). */
type TaskFieldInput = Partial<
  Pick<Task, 'name' | 'notes' | 'html_notes' | 'completed' | 'resource_subtype'>
> & {
  due_on?: string | null;
  due_at?: string | null;
  start_on?: string | null;
  start_at?: string | null;
};

interface OffsetToken {
  path: string;
  index: number;
}

interface PageResult<T> {
  items: T[];
  /** undefined = leave next_page out (no limit sent); null = last page. */
  nextPage?: { offset: string; path: string; uri: string } | null;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

// ---------------------------------------------------------------------------------------------------
// The server

export class FakeAsanaServer {
  readonly url: string;
  readonly basePath: string;
  token: string;
  latencyMs: number;
  premium: boolean;
  /**
   * How long a task stays invisible to /tasks/search after it is created. Asana's search index trails
   * writes by 10-60 s; 0 (the default) makes new tasks searchable at once.
   */
  searchLagMs = 0;
  /** Results larger than this without `limit` get Asana's "result is too large" 400. */
  maxUnpaginatedResults = MAX_PAGE_SIZE;
  /** Offset tokens older than this are rejected with 400, as Asana's expire. */
  offsetTokenTtlMs = Number.POSITIVE_INFINITY;
  readonly requests: RecordedRequest[] = [];
  /** Unexpected exceptions thrown inside handlers (each was answered with a 500). */
  readonly internalErrors: Error[] = [];

  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly routes: Route[];
  private readonly now: () => Date;
  private faults: FaultRule[] = [];
  private closed = false;
  private nextGid = FIRST_GID;

  private workspacesByGid = new Map<string, Workspace>();
  private usersByGid = new Map<string, User>();
  private projectsByGid = new Map<string, Project>();
  private sectionsByGid = new Map<string, Section>();
  private tasksByGid = new Map<string, Task>();
  private storiesByGid = new Map<string, Story>();
  private userTaskListsByGid = new Map<string, UserTaskList>();
  private offsetTokens = new Map<string, OffsetToken & { issuedAt: number }>();
  private meGid: string | undefined;

  private constructor(server: http.Server, port: number, options: FakeAsanaServerOptions) {
    this.server = server;
    this.url = `http://127.0.0.1:${port}`;
    this.basePath = `${this.url}${API_PREFIX}`;
    this.token = options.token ?? DEFAULT_TOKEN;
    this.latencyMs = options.latencyMs ?? 0;
    this.premium = options.premium ?? true;
    this.now = options.now ?? (() => new Date());
    this.routes = this.buildRoutes();
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.onRequest(req, res));
  }

  /** Starts a server on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeAsanaServerOptions = {}): Promise<FakeAsanaServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // No client can connect before the port is handed out, so tracking sockets from here misses none.
    return new FakeAsanaServer(server, (server.address() as AddressInfo).port, options);
  }

  /** Stops listening and destroys every open socket, hung requests included, so jest can exit. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closing;
  }

  // -------------------------------------------------------------------------------------------------
  // Faults and bookkeeping

  /** Queues a fault; rules are tried in the order queued, the first match wins. */
  fail(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (times > 0) this.faults.push({ ...rule, times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Clears the model, the request log, faults and issued offset tokens; settings are kept. */
  reset(): void {
    this.requests.length = 0;
    this.internalErrors.length = 0;
    this.faults = [];
    this.workspacesByGid.clear();
    this.usersByGid.clear();
    this.projectsByGid.clear();
    this.sectionsByGid.clear();
    this.tasksByGid.clear();
    this.storiesByGid.clear();
    this.userTaskListsByGid.clear();
    this.offsetTokens.clear();
    this.meGid = undefined;
  }

  /** Number of recorded requests with this method (case-insensitive, '*' = any) and path. */
  count(method: string, path: string | RegExp): number {
    return this.requests.filter((r) => this.matches(r, method, path)).length;
  }

  // -------------------------------------------------------------------------------------------------
  // Model seeding and inspection. The returned objects are the live records: mutating them (say,
  // `project.archived = true`) changes what the API serves.

  addWorkspace(w: {
    gid?: string;
    name: string;
    is_organization?: boolean;
    email_domains?: string[];
  }): Workspace {
    const workspace: Workspace = {
      gid: this.claimGid(w.gid),
      name: w.name,
      is_organization: w.is_organization ?? false,
      email_domains: w.email_domains ?? [],
    };
    this.workspacesByGid.set(workspace.gid, workspace);
    return workspace;
  }

  addUser(u: { gid?: string; name: string; email: string; workspaces: string[] }): User {
    for (const ws of u.workspaces) this.requireModel(this.workspacesByGid, ws, 'workspace');
    const user: User = {
      gid: this.claimGid(u.gid),
      name: u.name,
      email: u.email,
      workspaces: [...u.workspaces],
    };
    this.usersByGid.set(user.gid, user);
    this.meGid ??= user.gid;
    return user;
  }

  /** Makes this user the owner of the PAT ('me'); by default that is the first user added. */
  setMe(userGid: string): void {
    this.requireModel(this.usersByGid, userGid, 'user');
    this.meGid = userGid;
  }

  addProject(p: {
    gid?: string;
    name: string;
    workspace: string;
    archived?: boolean;
    team?: string;
  }): Project {
    this.requireModel(this.workspacesByGid, p.workspace, 'workspace');
    const stamp = this.stamp();
    const project: Project = {
      gid: this.claimGid(p.gid),
      name: p.name,
      workspace: p.workspace,
      archived: p.archived ?? false,
      team: p.team ?? null,
      notes: '',
      color: null,
      created_at: stamp,
      modified_at: stamp,
    };
    this.projectsByGid.set(project.gid, project);
    return project;
  }

  addSection(s: { gid?: string; name: string; project: string }): Section {
    this.requireModel(this.projectsByGid, s.project, 'project');
    const section: Section = {
      gid: this.claimGid(s.gid),
      name: s.name,
      project: s.project,
      created_at: this.stamp(),
    };
    this.sectionsByGid.set(section.gid, section);
    return section;
  }

  addTask(t: Partial<Task> & { name: string; workspace: string }): Task {
    this.requireModel(this.workspacesByGid, t.workspace, 'workspace');
    const stamp = this.stamp();
    const notes = t.notes ?? (t.html_notes !== undefined ? parseRichText('html_notes', t.html_notes) : '');
    const task: Task = {
      gid: this.claimGid(t.gid),
      name: t.name,
      resource_subtype: t.resource_subtype ?? 'default_task',
      notes,
      html_notes: t.html_notes ?? `<body>${escapeXml(notes)}</body>`,
      completed: t.completed ?? false,
      completed_at: t.completed_at ?? (t.completed ? stamp : null),
      due_on: t.due_on ?? null,
      due_at: t.due_at ?? null,
      start_on: t.start_on ?? null,
      start_at: t.start_at ?? null,
      assignee: t.assignee ?? null,
      followers: [...(t.followers ?? [])],
      projects: [],
      memberships: [],
      workspace: t.workspace,
      parent: t.parent ?? null,
      created_by: t.created_by ?? this.meGid ?? null,
      created_at: t.created_at ?? stamp,
      modified_at: t.modified_at ?? stamp,
    };
    for (const m of t.memberships ?? []) this.joinProject(task, m.project, m.section);
    for (const p of t.projects ?? []) if (!task.projects.includes(p)) this.joinProject(task, p, null);
    this.tasksByGid.set(task.gid, task);
    return task;
  }

  /** Removes a project; tasks lose their membership in it and later requests naming it get 404. */
  deleteProject(gid: string): void {
    this.requireModel(this.projectsByGid, gid, 'project');
    this.projectsByGid.delete(gid);
    for (const section of [...this.sectionsByGid.values()]) {
      if (section.project === gid) this.sectionsByGid.delete(section.gid);
    }
    for (const task of this.tasksByGid.values()) this.leaveProject(task, gid);
  }

  /** Removes a section; its tasks stay in the project, moved to the project's first remaining section. */
  deleteSection(gid: string): void {
    const section = this.requireModel(this.sectionsByGid, gid, 'section');
    this.sectionsByGid.delete(gid);
    const fallback = this.sectionsOf(section.project)[0]?.gid ?? null;
    for (const task of this.tasksByGid.values()) {
      for (const m of task.memberships) if (m.section === gid) m.section = fallback;
    }
  }

  workspace(gid: string): Workspace | undefined {
    return this.workspacesByGid.get(gid);
  }

  user(gid: string): User | undefined {
    return this.usersByGid.get(gid);
  }

  project(gid: string): Project | undefined {
    return this.projectsByGid.get(gid);
  }

  section(gid: string): Section | undefined {
    return this.sectionsByGid.get(gid);
  }

  task(gid: string): Task | undefined {
    return this.tasksByGid.get(gid);
  }

  /** All live tasks, in creation order. */
  tasks(): Task[] {
    return [...this.tasksByGid.values()];
  }

  /** Stories on a task (the fake only records comments; Asana would also log system stories). */
  stories(taskGid: string): Story[] {
    return [...this.storiesByGid.values()].filter((s) => s.task === taskGid);
  }

  // -------------------------------------------------------------------------------------------------
  // HTTP handling

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      // A bug here must surface in internalErrors, not as an unhandled rejection that kills jest.
      this.process(req, res, at, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        this.internalErrors.push(err instanceof Error ? err : new Error(String(err)));
        if (!res.headersSent) res.destroy();
      });
    });
  }

  private async process(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    at: number,
    rawBody: string,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const inApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = inApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    const queryPairs = [...url.searchParams.entries()];
    const query: Record<string, string> = {};
    const optFields: string[] = [];
    for (const [key, value] of queryPairs) {
      // Repeated keys (superagent's serialisation of arrays) are joined the way Asana reads CSV lists.
      query[key] = key in query ? `${query[key]},${value}` : value;
      if (key === 'opt_fields') optFields.push(value);
    }
    let body: unknown;
    let bodyInvalid = false;
    if (rawBody.trim().length > 0) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        bodyInvalid = true;
      }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      method,
      path: safeDecode(path),
      query,
      headers: { ...req.headers },
      body,
      status: 0,
      at,
    };
    this.requests.push(record);

    const legacyFields = asRecord(asRecord(body)?.options)?.fields;
    if (optFields.length === 0 && Array.isArray(legacyFields)) {
      // The legacy body form {data, options: {fields: [...]}} selects fields like opt_fields.
      optFields.push(legacyFields.map(String).join(','));
    }
    const ctx: RequestContext = {
      method,
      path: inApi ? path : `\u0000${path}`, // outside /api/1.0 nothing may match a route
      query,
      queryPairs,
      body,
      bodyInvalid,
      fields: parseOptFields(optFields),
    };
    const pretty = 'opt_pretty' in query && query.opt_pretty !== 'false';

    const fault = this.takeFault(record);
    if (fault?.delayMs) await this.sleep(fault.delayMs);
    if (this.closed) return;
    if (fault?.applyThenFail) {
      this.dispatch(ctx, req);
      if (fault.status !== undefined && !fault.hang) {
        await this.send(res, record, this.faultResult(fault), pretty);
      }
      return;
    }
    if (fault?.hang) return; // the socket stays open until close() destroys it
    const result = fault?.status !== undefined ? this.faultResult(fault) : this.dispatch(ctx, req);
    await this.send(res, record, result, pretty);
  }

  private takeFault(record: RecordedRequest): FaultRule | undefined {
    const index = this.faults.findIndex((f) => this.matches(record, f.method ?? '*', f.path));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private faultResult(fault: FaultRule): HandlerResult {
    const status = fault.status ?? 500;
    const message = fault.message ?? DEFAULT_FAULT_MESSAGES[status] ?? `HTTP ${status}`;
    const headers: Record<string, string> = {};
    if (status === 429) headers['Retry-After'] = String(fault.retryAfterSeconds ?? 1);
    const phrase = status >= 500 ? (fault.phrase ?? randomPhrase()) : undefined;
    return { status, body: errorBody(status, message, phrase), headers };
  }

  private matches(record: RecordedRequest, method: string, path: string | RegExp | undefined): boolean {
    if (method !== '*' && method.toUpperCase() !== record.method) return false;
    if (path === undefined) return true;
    return typeof path === 'string' ? path === record.path : path.test(record.path);
  }

  private dispatch(ctx: RequestContext, req: http.IncomingMessage): HandlerResult {
    try {
      const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (!auth || auth[1].trim() !== this.token) throw new ApiError(401, 'Not Authorized');
      for (const route of this.routes) {
        if (route.method !== ctx.method) continue;
        const m = route.pattern.exec(ctx.path);
        if (m) return route.handler(ctx, m.slice(1).map(safeDecode));
      }
      throw new ApiError(404, 'No matching route for request');
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, body: errorBody(err.status, err.message) };
      this.internalErrors.push(err instanceof Error ? err : new Error(String(err)));
      return { status: 500, body: errorBody(500, 'Server Error', randomPhrase()) };
    }
  }

  private async send(
    res: http.ServerResponse,
    record: RecordedRequest,
    result: HandlerResult,
    pretty: boolean,
  ): Promise<void> {
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    if (this.closed || res.destroyed || res.writableEnded) return;
    const payload = JSON.stringify(result.body, null, pretty ? 2 : undefined);
    record.status = result.status;
    res.writeHead(result.status, {
      'Content-Type': 'application/json; charset=UTF-8',
      'Content-Length': Buffer.byteLength(payload),
      ...result.headers,
    });
    res.end(payload);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Routes

  private buildRoutes(): Route[] {
    const gid = '([^/]+)';
    const r = (method: string, path: string, handler: Handler): Route => ({
      method,
      pattern: new RegExp(`^${path.replace(/\{gid\}/g, gid)}/?$`),
      handler: handler.bind(this),
    });
    return [
      r('GET', '/users', this.getUsers),
      r('GET', '/users/{gid}', this.getUser),
      r('GET', '/users/{gid}/user_task_list', this.getUserTaskListForUser),
      r('GET', '/user_task_lists/{gid}', this.getUserTaskList),
      r('GET', '/user_task_lists/{gid}/tasks', this.getTasksForUserTaskList),
      r('GET', '/workspaces', this.getWorkspaces),
      r('GET', '/workspaces/{gid}', this.getWorkspace),
      r('GET', '/workspaces/{gid}/users', this.getUsersForWorkspace),
      r('GET', '/workspaces/{gid}/users/{gid}', this.getUserForWorkspace),
      r('GET', '/workspaces/{gid}/projects', this.getProjectsForWorkspace),
      r('GET', '/workspaces/{gid}/typeahead', this.typeahead),
      r('GET', '/workspaces/{gid}/tasks/search', this.searchTasks),
      r('GET', '/projects', this.getProjects),
      r('GET', '/projects/{gid}', this.getProject),
      r('GET', '/projects/{gid}/sections', this.getSectionsForProject),
      r('GET', '/projects/{gid}/tasks', this.getTasksForProject),
      r('GET', '/sections/{gid}', this.getSection),
      r('GET', '/sections/{gid}/tasks', this.getTasksForSection),
      r('POST', '/sections/{gid}/addTask', this.addTaskForSection),
      r('GET', '/tasks', this.getTasks),
      r('POST', '/tasks', this.createTask),
      r('GET', '/tasks/{gid}', this.getTask),
      r('PUT', '/tasks/{gid}', this.updateTask),
      r('DELETE', '/tasks/{gid}', this.deleteTask),
      r('GET', '/tasks/{gid}/subtasks', this.getSubtasks),
      r('GET', '/tasks/{gid}/stories', this.getStories),
      r('GET', '/stories/{gid}', this.getStory),
      r('POST', '/tasks/{gid}/stories', this.createStory),
      r('POST', '/tasks/{gid}/addFollowers', this.addFollowers),
      r('POST', '/tasks/{gid}/removeFollowers', this.removeFollowers),
      r('POST', '/tasks/{gid}/addProject', this.addProjectForTask),
      r('POST', '/tasks/{gid}/removeProject', this.removeProjectForTask),
    ];
  }

  // --- users and workspaces

  private getUsers(ctx: RequestContext): HandlerResult {
    const { workspace, team } = ctx.query;
    if (!workspace && !team) throw badRequest('workspace: Missing input; specify a workspace or team');
    if (team) throw notRecognized('team', team); // teams are not modelled
    this.requireWorkspace(workspace, 'workspace');
    const users = this.usersIn(workspace).sort((a, b) => compareGids(a.gid, b.gid));
    return this.list(
      ctx,
      'user',
      users.map((u) => u.gid),
    );
  }

  private getUser(ctx: RequestContext, [id]: string[]): HandlerResult {
    const user = this.resolveUser(id, 'user');
    return this.one(ctx, 'user', user.gid);
  }

  private getUsersForWorkspace(ctx: RequestContext, [wsGid]: string[]): HandlerResult {
    this.requireWorkspace(wsGid, 'workspace');
    // Documented as sorted alphabetically and capped at 2000 instead of failing as "too large".
    const users = this.usersIn(wsGid)
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, WORKSPACE_USERS_CAP);
    return this.list(
      ctx,
      'user',
      users.map((u) => u.gid),
      { maxUnpaginated: WORKSPACE_USERS_CAP },
    );
  }

  private getUserForWorkspace(ctx: RequestContext, [wsGid, id]: string[]): HandlerResult {
    this.requireWorkspace(wsGid, 'workspace');
    const user = this.resolveUser(id, 'user');
    if (!user.workspaces.includes(wsGid)) throw notRecognized('user', id);
    return this.one(ctx, 'user', user.gid);
  }

  private getWorkspaces(ctx: RequestContext): HandlerResult {
    const me = this.meGid ? this.usersByGid.get(this.meGid) : undefined;
    const all = [...this.workspacesByGid.keys()];
    return this.list(ctx, 'workspace', me ? all.filter((g) => me.workspaces.includes(g)) : all);
  }

  private getWorkspace(ctx: RequestContext, [wsGid]: string[]): HandlerResult {
    this.requireWorkspace(wsGid, 'workspace');
    return this.one(ctx, 'workspace', wsGid);
  }

  // --- projects and sections

  private getProjects(ctx: RequestContext): HandlerResult {
    const { workspace, team } = ctx.query;
    if (!workspace && !team) throw badRequest('workspace: Missing input; specify a workspace or team');
    if (workspace) this.requireWorkspace(workspace, 'workspace');
    return this.projectList(
      ctx,
      (p) => (!workspace || p.workspace === workspace) && (!team || p.team === team),
    );
  }

  private getProjectsForWorkspace(ctx: RequestContext, [wsGid]: string[]): HandlerResult {
    this.requireWorkspace(wsGid, 'workspace');
    return this.projectList(ctx, (p) => p.workspace === wsGid);
  }

  private projectList(ctx: RequestContext, keep: (p: Project) => boolean): HandlerResult {
    const archived = this.optionalBoolean(ctx.query, 'archived');
    const projects = [...this.projectsByGid.values()].filter(
      (p) => keep(p) && (archived === undefined || p.archived === archived),
    );
    return this.list(
      ctx,
      'project',
      projects.map((p) => p.gid),
    );
  }

  private getProject(ctx: RequestContext, [projectGid]: string[]): HandlerResult {
    this.requireProject(projectGid, 'project');
    return this.one(ctx, 'project', projectGid);
  }

  private getSectionsForProject(ctx: RequestContext, [projectGid]: string[]): HandlerResult {
    this.requireProject(projectGid, 'project');
    return this.list(
      ctx,
      'section',
      this.sectionsOf(projectGid).map((s) => s.gid),
    );
  }

  private getSection(ctx: RequestContext, [sectionGid]: string[]): HandlerResult {
    this.requireSection(sectionGid, 'section');
    return this.one(ctx, 'section', sectionGid);
  }

  private getTasksForProject(ctx: RequestContext, [projectGid]: string[]): HandlerResult {
    this.requireProject(projectGid, 'project');
    const since = this.completedSince(ctx.query);
    return this.taskList(ctx, (t) => t.projects.includes(projectGid) && since(t));
  }

  private getTasksForSection(ctx: RequestContext, [sectionGid]: string[]): HandlerResult {
    this.requireSection(sectionGid, 'section');
    const since = this.completedSince(ctx.query);
    return this.taskList(ctx, (t) => t.memberships.some((m) => m.section === sectionGid) && since(t));
  }

  private addTaskForSection(ctx: RequestContext, [sectionGid]: string[]): HandlerResult {
    const section = this.requireSection(sectionGid, 'section');
    const data = this.requireData(ctx);
    const task = this.requireTask(this.requiredString(data, 'task'), 'task');
    const project = this.requireProject(section.project, 'section');
    if (project.workspace !== task.workspace) {
      throw badRequest(`task: Task ${task.gid} is not in the workspace of section ${section.gid}`);
    }
    for (const key of ['insert_before', 'insert_after']) {
      const other = data[key];
      if (other !== undefined && other !== null) {
        const neighbour = this.requireTask(String(other), key);
        if (!neighbour.memberships.some((m) => m.section === section.gid)) {
          throw badRequest(`${key}: Task ${neighbour.gid} is not in section ${section.gid}`);
        }
      }
    }
    this.joinProject(task, project.gid, section.gid);
    this.touch(task);
    return { status: 200, body: { data: {} } };
  }

  // --- user task lists

  private getUserTaskListForUser(ctx: RequestContext, [id]: string[]): HandlerResult {
    const user = this.resolveUser(id, 'user');
    const wsGid = ctx.query.workspace;
    if (!wsGid) throw badRequest('workspace: Missing input');
    this.requireWorkspace(wsGid, 'workspace');
    if (!user.workspaces.includes(wsGid)) throw notRecognized('workspace', wsGid);
    let list = [...this.userTaskListsByGid.values()].find(
      (l) => l.owner === user.gid && l.workspace === wsGid,
    );
    if (!list) {
      list = { gid: this.claimGid(), name: 'My Tasks', owner: user.gid, workspace: wsGid };
      this.userTaskListsByGid.set(list.gid, list);
    }
    return this.one(ctx, 'user_task_list', list.gid);
  }

  private getUserTaskList(ctx: RequestContext, [listGid]: string[]): HandlerResult {
    this.requireModelApi(this.userTaskListsByGid, listGid, 'user_task_list');
    return this.one(ctx, 'user_task_list', listGid);
  }

  private getTasksForUserTaskList(ctx: RequestContext, [listGid]: string[]): HandlerResult {
    const list = this.requireModelApi(this.userTaskListsByGid, listGid, 'user_task_list');
    const since = this.completedSince(ctx.query);
    return this.taskList(ctx, (t) => t.assignee === list.owner && t.workspace === list.workspace && since(t));
  }

  // --- typeahead and search

  private typeahead(ctx: RequestContext, [wsGid]: string[]): HandlerResult {
    this.requireWorkspace(wsGid, 'workspace');
    const type = ctx.query.resource_type;
    if (!type) throw badRequest('resource_type: Missing input');
    if (!TYPEAHEAD_TYPES.has(type)) throw badRequest(`resource_type: Not a valid enum value: ${type}`);
    const count = this.boundedInt(ctx.query, 'count', TYPEAHEAD_DEFAULT_COUNT);
    const needle = (ctx.query.query ?? '').toLowerCase();
    const hit = (...texts: string[]): boolean => texts.some((t) => t.toLowerCase().includes(needle));
    let gids: string[] = [];
    let resourceType: ResourceType = 'user';
    if (type === 'user' || type === 'actor') {
      gids = this.usersIn(wsGid)
        .filter((u) => hit(u.name, u.email))
        .map((u) => u.gid);
    } else if (type === 'project') {
      resourceType = 'project';
      gids = [...this.projectsByGid.values()]
        .filter((p) => p.workspace === wsGid && !p.archived && hit(p.name))
        .map((p) => p.gid);
    } else if (type === 'task') {
      resourceType = 'task';
      gids = this.tasks()
        .filter((t) => t.workspace === wsGid && !t.completed && hit(t.name))
        .map((t) => t.gid);
    }
    // Other resource types are valid but not modelled: they find nothing. No pagination, no next_page.
    return {
      status: 200,
      body: { data: gids.slice(0, count).map((g) => this.renderRecord(resourceType, g, ctx)) },
    };
  }

  private searchTasks(ctx: RequestContext, [wsGid]: string[]): HandlerResult {
    this.requireWorkspace(wsGid, 'workspace');
    if (!this.premium) throw new ApiError(402, 'Search is only available to premium users.');
    const q = ctx.query;
    const limit = this.boundedInt(q, 'limit', SEARCH_DEFAULT_LIMIT);
    const text = q.text?.toLowerCase();
    const completed = this.optionalBoolean(q, 'completed');
    const isSubtask = this.optionalBoolean(q, 'is_subtask');
    const assignees = q['assignee.any']
      ?.split(',')
      .map((id) => this.resolveUser(id.trim(), 'assignee.any').gid);
    const notAssignees = q['assignee.not']
      ?.split(',')
      .map((id) => this.resolveUser(id.trim(), 'assignee.not').gid);
    const projectsAny = q['projects.any']?.split(',').map((p) => p.trim());
    const sectionsAny = q['sections.any']?.split(',').map((s) => s.trim());
    const after = (key: string): number | undefined => this.optionalTime(q, key);
    const bounds = {
      createdAfter: after('created_at.after'),
      createdBefore: after('created_at.before'),
      modifiedAfter: after('modified_at.after'),
      modifiedBefore: after('modified_at.before'),
    };
    const indexedBefore = this.now().getTime() - this.searchLagMs;

    const found = this.tasks().filter((t) => {
      const created = Date.parse(t.created_at);
      const modified = Date.parse(t.modified_at);
      if (t.workspace !== wsGid || (this.searchLagMs > 0 && created > indexedBefore)) return false;
      if (text && !`${t.name}\n${t.notes}`.toLowerCase().includes(text)) return false;
      if (completed !== undefined && t.completed !== completed) return false;
      if (isSubtask !== undefined && (t.parent !== null) !== isSubtask) return false;
      if (assignees && (t.assignee === null || !assignees.includes(t.assignee))) return false;
      if (notAssignees && t.assignee !== null && notAssignees.includes(t.assignee)) return false;
      if (projectsAny && !t.projects.some((p) => projectsAny.includes(p))) return false;
      if (sectionsAny && !t.memberships.some((m) => m.section !== null && sectionsAny.includes(m.section))) {
        return false;
      }
      if (bounds.createdAfter !== undefined && created <= bounds.createdAfter) return false;
      if (bounds.createdBefore !== undefined && created >= bounds.createdBefore) return false;
      if (bounds.modifiedAfter !== undefined && modified <= bounds.modifiedAfter) return false;
      if (bounds.modifiedBefore !== undefined && modified >= bounds.modifiedBefore) return false;
      return true;
    });

    const sortBy = q.sort_by ?? 'modified_at';
    if (!SEARCH_SORTS.has(sortBy)) throw badRequest(`sort_by: Not a valid enum value: ${sortBy}`);
    const ascending = this.optionalBoolean(q, 'sort_ascending') ?? false;
    const key = (t: Task): number => {
      if (sortBy === 'created_at') return Date.parse(t.created_at);
      if (sortBy === 'completed_at') return t.completed_at ? Date.parse(t.completed_at) : 0;
      if (sortBy === 'due_date') return Date.parse(t.due_at ?? t.due_on ?? '9999-12-31');
      if (sortBy === 'modified_at') return Date.parse(t.modified_at);
      return 0; // likes, relevance: no signal in the model, keep creation order
    };
    const ordered = found
      .map((t, i) => ({ t, i, k: key(t) }))
      .sort((a, b) => (a.k === b.k ? a.i - b.i : ascending ? a.k - b.k : b.k - a.k))
      .map((x) => x.t);
    return {
      status: 200,
      body: { data: ordered.slice(0, limit).map((t) => this.renderRecord('task', t.gid, ctx)) },
    };
  }

  // --- tasks

  private getTasks(ctx: RequestContext): HandlerResult {
    const { project, section, tag, assignee, workspace, user_task_list } = ctx.query;
    // A workspace next to a project (or section...) is tolerated; assignee needs one, and so does
    // a workspace on its own.
    const modes = [project, section, tag, user_task_list, assignee].filter(Boolean).length;
    if (modes !== 1 || (assignee && !workspace)) {
      throw badRequest(
        'Must specify exactly one of project, tag, section, user task list, or assignee + workspace',
      );
    }
    if (tag) throw notRecognized('tag', tag); // tags are not modelled
    const since = this.completedSince(ctx.query);
    const modifiedSince = this.optionalTime(ctx.query, 'modified_since');
    const fresh = (t: Task): boolean =>
      since(t) && (modifiedSince === undefined || Date.parse(t.modified_at) >= modifiedSince);
    if (project) {
      this.requireProject(project, 'project');
      return this.taskList(ctx, (t) => t.projects.includes(project) && fresh(t));
    }
    if (section) {
      this.requireSection(section, 'section');
      return this.taskList(ctx, (t) => t.memberships.some((m) => m.section === section) && fresh(t));
    }
    if (user_task_list) {
      const list = this.requireModelApi(this.userTaskListsByGid, user_task_list, 'user_task_list');
      return this.taskList(
        ctx,
        (t) => t.assignee === list.owner && t.workspace === list.workspace && fresh(t),
      );
    }
    this.requireWorkspace(workspace, 'workspace');
    const user = this.resolveUser(assignee, 'assignee');
    return this.taskList(ctx, (t) => t.assignee === user.gid && t.workspace === workspace && fresh(t));
  }

  private getTask(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    this.requireTask(taskGid, 'task');
    return this.one(ctx, 'task', taskGid);
  }

  private getSubtasks(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    this.requireTask(taskGid, 'task');
    return this.taskList(ctx, (t) => t.parent === taskGid);
  }

  private createTask(ctx: RequestContext): HandlerResult {
    const data = this.requireData(ctx);
    const me = this.meGid;

    // References first: an unknown gid is a 404, a mismatch between them a 400.
    const explicitWs = data.workspace ?? null;
    if (explicitWs !== null) this.requireWorkspace(String(explicitWs), 'workspace');
    const projects = this.stringList(data, 'projects').map((p) => this.requireProject(p, 'projects'));
    const memberships = this.membershipList(data);
    const parent = data.parent == null ? undefined : this.requireTask(String(data.parent), 'parent');
    const implied: [string, string][] = [
      ...projects.map((p): [string, string] => ['projects', p.workspace]),
      ...memberships.map((m): [string, string] => ['memberships', m.project.workspace]),
      ...(parent ? [['parent', parent.workspace] as [string, string]] : []),
    ];
    const workspace = explicitWs !== null ? String(explicitWs) : implied[0]?.[1];
    if (workspace === undefined) {
      throw badRequest('workspace: Missing input; you should specify one of workspace, parent, projects');
    }
    const clash = implied.find(([, ws]) => ws !== workspace);
    if (clash) throw badRequest(`${clash[0]}: Must be in the same workspace as the task (${workspace})`);
    if (this.stringList(data, 'tags').length > 0)
      throw notRecognized('tags', this.stringList(data, 'tags')[0]);

    const fields = this.taskFields(data, undefined);
    const assignee =
      data.assignee == null ? null : this.resolveMember(String(data.assignee), 'assignee', workspace);
    const followers = this.stringList(data, 'followers').map((f) =>
      this.resolveMember(f, 'followers', workspace),
    );

    const stamp = this.stamp();
    const task = this.addTask({
      name: fields.name ?? '',
      workspace,
      resource_subtype: fields.resource_subtype,
      notes: fields.notes ?? '',
      html_notes: fields.html_notes,
      completed: fields.completed ?? false,
      completed_at: fields.completed ? stamp : null,
      due_on: fields.due_on ?? null,
      due_at: fields.due_at ?? null,
      start_on: fields.start_on ?? null,
      start_at: fields.start_at ?? null,
      assignee,
      // Asana makes the creator and the assignee followers of a new task.
      followers: [...new Set([...(me ? [me] : []), ...(assignee ? [assignee] : []), ...followers])],
      parent: parent?.gid ?? null,
      memberships: memberships.map((m) => ({ project: m.project.gid, section: m.section?.gid ?? null })),
      projects: projects.map((p) => p.gid),
      created_at: stamp,
      modified_at: stamp,
    });
    return {
      status: 201,
      body: { data: this.renderRecord('task', task.gid, ctx, 'full') },
      headers: { Location: `${this.basePath}/tasks/${task.gid}` },
    };
  }

  private updateTask(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    const task = this.requireTask(taskGid, 'task');
    const data = this.requireData(ctx);
    for (const key of ['projects', 'memberships', 'followers', 'tags', 'workspace', 'parent']) {
      if (key in data) {
        throw badRequest(
          `${key}: Cannot be changed with PUT; use the task's add/remove or setParent endpoints`,
        );
      }
    }
    const fields = this.taskFields(data, task);
    if ('assignee' in data) {
      task.assignee =
        data.assignee == null ? null : this.resolveMember(String(data.assignee), 'assignee', task.workspace);
      if (task.assignee && !task.followers.includes(task.assignee)) task.followers.push(task.assignee);
    }
    if (fields.name !== undefined) task.name = fields.name;
    if (fields.resource_subtype !== undefined) task.resource_subtype = fields.resource_subtype;
    if (fields.notes !== undefined) task.notes = fields.notes;
    if (fields.html_notes !== undefined) task.html_notes = fields.html_notes;
    if (fields.completed !== undefined && fields.completed !== task.completed) {
      task.completed = fields.completed;
      task.completed_at = fields.completed ? this.stamp() : null;
    }
    for (const key of ['due_on', 'due_at', 'start_on', 'start_at'] as const) {
      if (fields[key] !== undefined) task[key] = fields[key] ?? null;
    }
    this.touch(task);
    return { status: 200, body: { data: this.renderRecord('task', task.gid, ctx, 'full') } };
  }

  private deleteTask(_ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    this.requireTask(taskGid, 'task');
    this.tasksByGid.delete(taskGid);
    return { status: 200, body: { data: {} } };
  }

  private addFollowers(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    const task = this.requireTask(taskGid, 'task');
    const data = this.requireData(ctx);
    if (!('followers' in data)) throw badRequest('followers: Missing input');
    for (const f of this.stringList(data, 'followers')) {
      const user = this.resolveMember(f, 'followers', task.workspace);
      if (!task.followers.includes(user)) task.followers.push(user);
    }
    this.touch(task);
    return { status: 200, body: { data: this.renderRecord('task', task.gid, ctx, 'full') } };
  }

  private removeFollowers(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    const task = this.requireTask(taskGid, 'task');
    const data = this.requireData(ctx);
    if (!('followers' in data)) throw badRequest('followers: Missing input');
    const gone = new Set(this.stringList(data, 'followers').map((f) => this.resolveUser(f, 'followers').gid));
    task.followers = task.followers.filter((f) => !gone.has(f));
    this.touch(task);
    return { status: 200, body: { data: this.renderRecord('task', task.gid, ctx, 'full') } };
  }

  private addProjectForTask(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    const task = this.requireTask(taskGid, 'task');
    const data = this.requireData(ctx);
    const project = this.requireProject(this.requiredString(data, 'project'), 'project');
    if (project.workspace !== task.workspace) {
      throw badRequest(`project: Project ${project.gid} is not in the task's workspace`);
    }
    const placements = ['insert_before', 'insert_after', 'section'].filter((k) => data[k] != null);
    if (placements.length > 1) {
      throw badRequest('Only one of insert_before, insert_after or section may be specified');
    }
    let sectionGid: string | null = null;
    if (data.section != null) {
      const section = this.requireSection(String(data.section), 'section');
      if (section.project !== project.gid) {
        throw badRequest(`section: Section ${section.gid} is not in project ${project.gid}`);
      }
      sectionGid = section.gid;
    }
    for (const key of ['insert_before', 'insert_after']) {
      if (data[key] != null) {
        const neighbour = this.requireTask(String(data[key]), key);
        if (!neighbour.projects.includes(project.gid)) {
          throw badRequest(`${key}: Task ${neighbour.gid} is not in project ${project.gid}`);
        }
      }
    }
    this.joinProject(task, project.gid, sectionGid);
    this.touch(task);
    return { status: 200, body: { data: {} } };
  }

  private removeProjectForTask(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    const task = this.requireTask(taskGid, 'task');
    const data = this.requireData(ctx);
    const project = this.requireProject(this.requiredString(data, 'project'), 'project');
    this.leaveProject(task, project.gid);
    this.touch(task);
    return { status: 200, body: { data: {} } };
  }

  // --- stories

  private getStories(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    this.requireTask(taskGid, 'task');
    return this.list(
      ctx,
      'story',
      this.stories(taskGid).map((s) => s.gid),
    );
  }

  private getStory(ctx: RequestContext, [storyGid]: string[]): HandlerResult {
    this.requireModelApi(this.storiesByGid, storyGid, 'story');
    return this.one(ctx, 'story', storyGid);
  }

  private createStory(ctx: RequestContext, [taskGid]: string[]): HandlerResult {
    const task = this.requireTask(taskGid, 'task');
    const data = this.requireData(ctx);
    let text: string;
    let htmlText: string;
    if (data.html_text != null) {
      htmlText = this.stringField(data, 'html_text');
      text = parseRichText('html_text', htmlText);
    } else if (data.text != null) {
      text = this.stringField(data, 'text');
      htmlText = `<body>${escapeXml(text)}</body>`;
    } else {
      throw badRequest('text: Missing input; specify text or html_text');
    }
    const isPinned = data.is_pinned == null ? false : this.booleanField(data, 'is_pinned');
    const story: Story = {
      gid: this.claimGid(),
      task: task.gid,
      type: 'comment',
      resource_subtype: 'comment_added',
      text,
      html_text: htmlText,
      is_pinned: isPinned,
      created_by: this.meGid ?? null,
      created_at: this.stamp(),
    };
    this.storiesByGid.set(story.gid, story);
    return {
      status: 201,
      body: { data: this.renderRecord('story', story.gid, ctx, 'full') },
      headers: { Location: `${this.basePath}/stories/${story.gid}` },
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Task field validation shared by create and update

  private taskFields(data: Record<string, unknown>, existing: Task | undefined): TaskFieldInput {
    const out: TaskFieldInput = {};
    if (data.name !== undefined) out.name = this.stringField(data, 'name');
    if (data.html_notes != null) {
      out.html_notes = this.stringField(data, 'html_notes');
      out.notes = parseRichText('html_notes', out.html_notes);
    } else if (data.notes !== undefined) {
      out.notes = data.notes === null ? '' : this.stringField(data, 'notes');
      out.html_notes = `<body>${escapeXml(out.notes)}</body>`;
    }
    if (data.completed !== undefined) out.completed = this.booleanField(data, 'completed');
    if (data.resource_subtype !== undefined) {
      const subtype = this.stringField(data, 'resource_subtype');
      if (!['default_task', 'milestone', 'approval'].includes(subtype)) {
        throw badRequest(`resource_subtype: Not a valid enum value: ${subtype}`);
      }
      out.resource_subtype = subtype as TaskSubtype;
    }

    const date = (key: 'due_on' | 'start_on'): void => {
      if (!(key in data)) return;
      const v = data[key];
      if (v !== null && (typeof v !== 'string' || !isCalendarDate(v))) {
        throw badRequest(`${key}: Must be a valid calendar date in YYYY-MM-DD format: ${String(v)}`);
      }
      out[key] = v as string | null;
    };
    const dateTime = (key: 'due_at' | 'start_at'): void => {
      if (!(key in data)) return;
      const v = data[key];
      if (v !== null && (typeof v !== 'string' || !isDateTime(v))) {
        throw badRequest(
          `${key}: Must be an ISO 8601 date-time, e.g. 2024-05-01T09:00:00.000Z: ${String(v)}`,
        );
      }
      out[key] = v === null ? null : new Date(v as string).toISOString();
    };
    date('due_on');
    dateTime('due_at');
    date('start_on');
    dateTime('start_at');

    if (out.due_on && out.due_at) throw badRequest('due_on: You may only provide one of due_on or due_at');
    if (out.start_on && out.start_at)
      throw badRequest('start_on: You may only provide one of start_on or start_at');
    if ('start_on' in out && !('due_on' in out) && !('due_at' in out)) {
      throw badRequest(
        'start_on: due_on or due_at must be present in the request when setting or unsetting start_on',
      );
    }
    if ('start_at' in out && !('due_at' in out)) {
      throw badRequest('start_at: due_at must be present in the request when setting or unsetting start_at');
    }
    // Setting one form of a date replaces the other, as Asana stores a single due (and start) date.
    if (out.due_on) out.due_at = null;
    if (out.due_at) out.due_on = null;
    if (out.start_on) out.start_at = null;
    if (out.start_at) out.start_on = null;

    const pick = <K extends 'due_on' | 'due_at' | 'start_on' | 'start_at'>(key: K): string | null =>
      key in out ? (out[key] ?? null) : (existing?.[key] ?? null);
    const due = pick('due_on') ?? pick('due_at')?.slice(0, 10) ?? null;
    const start = pick('start_on') ?? pick('start_at')?.slice(0, 10) ?? null;
    if (start !== null && due === null)
      throw badRequest('start_on: A task with a start date needs a due date');
    if (start !== null && due !== null && start > due) {
      throw badRequest('start_on: The start date must not be after the due date');
    }
    const subtype = out.resource_subtype ?? existing?.resource_subtype;
    if (start !== null && subtype === 'milestone')
      throw badRequest('start_on: Milestones cannot have a start date');
    return out;
  }

  private membershipList(
    data: Record<string, unknown>,
  ): { project: Project; section: Section | undefined }[] {
    if (data.memberships == null) return [];
    if (!Array.isArray(data.memberships)) throw badRequest('memberships: Must be an array');
    return data.memberships.map((entry, i) => {
      const m = asRecord(entry);
      if (!m || m.project == null) throw badRequest(`memberships: [${i}]: project: Missing input`);
      const project = this.requireProject(String(m.project), 'memberships');
      if (m.section == null) return { project, section: undefined };
      const section = this.requireSection(String(m.section), 'memberships');
      if (section.project !== project.gid) {
        throw badRequest(`memberships: [${i}]: Section ${section.gid} is not in project ${project.gid}`);
      }
      return { project, section };
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Lists and records

  private one(ctx: RequestContext, type: ResourceType, gid: string): HandlerResult {
    return { status: 200, body: { data: this.renderRecord(type, gid, ctx, 'full') } };
  }

  private taskList(ctx: RequestContext, keep: (t: Task) => boolean): HandlerResult {
    return this.list(
      ctx,
      'task',
      this.tasks()
        .filter(keep)
        .map((t) => t.gid),
    );
  }

  private list(
    ctx: RequestContext,
    type: ResourceType,
    gids: string[],
    opts: { maxUnpaginated?: number } = {},
  ): HandlerResult {
    const page = this.paginate(ctx, gids, opts.maxUnpaginated ?? this.maxUnpaginatedResults);
    const body: Record<string, unknown> = { data: page.items.map((g) => this.renderRecord(type, g, ctx)) };
    if (page.nextPage !== undefined) body.next_page = page.nextPage;
    return { status: 200, body };
  }

  private paginate<T>(ctx: RequestContext, items: T[], maxUnpaginated: number): PageResult<T> {
    const { limit: rawLimit, offset } = ctx.query;
    if (rawLimit === undefined) {
      if (offset !== undefined) throw badRequest('offset: Pagination requires limit');
      if (items.length > maxUnpaginated) throw badRequest(TOO_LARGE_MESSAGE);
      return { items };
    }
    const limit = this.boundedInt(ctx.query, 'limit', MAX_PAGE_SIZE);
    let start = 0;
    if (offset !== undefined) {
      const token = this.offsetTokens.get(offset);
      if (!token || token.path !== ctx.path) {
        throw badRequest('offset: Your pagination token is invalid; use the offset of a previous next_page');
      }
      if (Date.now() - token.issuedAt > this.offsetTokenTtlMs) {
        throw badRequest('offset: Your pagination token has expired');
      }
      start = token.index;
    }
    const end = start + limit;
    if (end >= items.length) return { items: items.slice(start), nextPage: null };

    const next = this.issueOffset(ctx.path, end);
    const params = new URLSearchParams(ctx.queryPairs.filter(([k]) => k !== 'offset'));
    params.set('offset', next);
    const path = `${ctx.path}?${params.toString()}`;
    return {
      items: items.slice(start, end),
      nextPage: { offset: next, path, uri: `${this.basePath}${path}` },
    };
  }

  private issueOffset(path: string, index: number): string {
    // Opaque like Asana's: only tokens this server handed out are accepted back.
    const token = `eyJ${randomBytes(18).toString('base64url')}`;
    this.offsetTokens.set(token, { path, index, issuedAt: Date.now() });
    return token;
  }

  private renderRecord(
    type: ResourceType,
    gid: string,
    ctx: RequestContext,
    fallback: 'compact' | 'full' = 'compact',
  ): unknown {
    return this.render(new Ref(type, gid), ctx.fields ?? fallback);
  }

  private render(value: Value, selection: Selection): unknown {
    if (Array.isArray(value)) return value.map((v) => this.render(v, selection));
    if (value instanceof Ref) return this.renderRef(value, selection);
    if (value !== null && typeof value === 'object') {
      // Plain nested objects (task memberships): pick keys the same way records do.
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) {
        if (selection instanceof Map) {
          if (selection.size > 0 && !selection.has(key)) continue;
          const sub = selection.get(key);
          out[key] = this.render(inner, sub && sub.size > 0 ? sub : 'ref');
        } else {
          out[key] = this.render(inner, selection === 'ref' ? 'ref' : 'compact');
        }
      }
      return out;
    }
    return value;
  }

  private renderRef(ref: Ref, selection: Selection): unknown {
    const getters = this.getters(ref);
    if (selection === 'ref' || !getters) return { gid: ref.gid, resource_type: ref.type };
    const out: Record<string, unknown> = {};
    if (selection instanceof Map) {
      out.gid = ref.gid;
      for (const [field, sub] of selection) {
        const value = getters[field]?.();
        if (value !== undefined) out[field] = this.render(value, sub.size > 0 ? sub : 'ref');
      }
      return out;
    }
    const fields = (selection === 'full' ? FULL_FIELDS : COMPACT_FIELDS)[ref.type];
    for (const field of fields) {
      const value = getters[field]?.();
      if (value !== undefined) out[field] = this.render(value, 'compact');
    }
    return out;
  }

  /** Every readable field of a record, computed on demand; undefined when the record is gone. */
  private getters(ref: Ref): Getters | undefined {
    const base = { gid: () => ref.gid, resource_type: () => ref.type };
    switch (ref.type) {
      case 'workspace': {
        const w = this.workspacesByGid.get(ref.gid);
        return (
          w && {
            ...base,
            name: () => w.name,
            email_domains: () => [...w.email_domains],
            is_organization: () => w.is_organization,
          }
        );
      }
      case 'user': {
        const u = this.usersByGid.get(ref.gid);
        return (
          u && {
            ...base,
            name: () => u.name,
            email: () => u.email,
            photo: () => null,
            workspaces: () => u.workspaces.map((g) => new Ref('workspace', g)),
          }
        );
      }
      case 'project': {
        const p = this.projectsByGid.get(ref.gid);
        return (
          p && {
            ...base,
            name: () => p.name,
            archived: () => p.archived,
            color: () => p.color,
            completed: () => false,
            created_at: () => p.created_at,
            modified_at: () => p.modified_at,
            notes: () => p.notes,
            html_notes: () => `<body>${escapeXml(p.notes)}</body>`,
            members: () => [],
            followers: () => [],
            owner: () => null,
            team: () => (p.team === null ? undefined : new Ref('team', p.team)),
            workspace: () => new Ref('workspace', p.workspace),
            permalink_url: () => `https://app.asana.com/0/${p.gid}/list`,
          }
        );
      }
      case 'section': {
        const s = this.sectionsByGid.get(ref.gid);
        return (
          s && {
            ...base,
            name: () => s.name,
            created_at: () => s.created_at,
            project: () => new Ref('project', s.project),
            projects: () => [new Ref('project', s.project)],
          }
        );
      }
      case 'task': {
        const t = this.tasksByGid.get(ref.gid);
        return t && this.taskGetters(t, base);
      }
      case 'story': {
        const s = this.storiesByGid.get(ref.gid);
        return (
          s && {
            ...base,
            created_at: () => s.created_at,
            created_by: () => (s.created_by === null ? null : new Ref('user', s.created_by)),
            resource_subtype: () => s.resource_subtype,
            text: () => s.text,
            html_text: () => s.html_text,
            type: () => s.type,
            is_pinned: () => s.is_pinned,
            is_edited: () => false,
            is_editable: () => s.type === 'comment',
            target: () => new Ref('task', s.task),
          }
        );
      }
      case 'user_task_list': {
        const l = this.userTaskListsByGid.get(ref.gid);
        return (
          l && {
            ...base,
            name: () => l.name,
            owner: () => new Ref('user', l.owner),
            workspace: () => new Ref('workspace', l.workspace),
          }
        );
      }
      default:
        return base; // teams and tags are not modelled beyond their gid
    }
  }

  private taskGetters(t: Task, base: Getters): Getters {
    return {
      ...base,
      name: () => t.name,
      resource_subtype: () => t.resource_subtype,
      notes: () => t.notes,
      html_notes: () => t.html_notes,
      completed: () => t.completed,
      completed_at: () => t.completed_at,
      due_on: () => t.due_on,
      due_at: () => t.due_at,
      start_on: () => t.start_on,
      start_at: () => t.start_at,
      assignee: () => (t.assignee === null ? null : new Ref('user', t.assignee)),
      followers: () => t.followers.map((g) => new Ref('user', g)),
      projects: () => t.projects.map((g) => new Ref('project', g)),
      // A membership in a project without sections has no section to name; the key is left out
      // rather than sent as null, which the spec's SectionCompact does not allow.
      memberships: () =>
        t.memberships.map((m): Value => {
          const section = m.section ?? this.sectionsOf(m.project)[0]?.gid;
          return section
            ? { project: new Ref('project', m.project), section: new Ref('section', section) }
            : { project: new Ref('project', m.project) };
        }),
      workspace: () => new Ref('workspace', t.workspace),
      parent: () => (t.parent === null ? null : new Ref('task', t.parent)),
      created_by: () => (t.created_by === null ? null : new Ref('user', t.created_by)),
      created_at: () => t.created_at,
      modified_at: () => t.modified_at,
      num_subtasks: () => this.tasks().filter((s) => s.parent === t.gid).length,
      tags: () => [],
      permalink_url: () => `https://app.asana.com/0/${t.projects[0] ?? '0'}/${t.gid}`,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Model helpers

  private claimGid(requested?: string): string {
    if (requested !== undefined) {
      if (this.gidTaken(requested)) throw new Error(`FakeAsanaServer: gid ${requested} is already in use`);
      return requested;
    }
    let gid: string;
    do gid = String(this.nextGid++);
    while (this.gidTaken(gid));
    return gid;
  }

  private gidTaken(gid: string): boolean {
    return [
      this.workspacesByGid,
      this.usersByGid,
      this.projectsByGid,
      this.sectionsByGid,
      this.tasksByGid,
      this.storiesByGid,
      this.userTaskListsByGid,
    ].some((m) => m.has(gid));
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private touch(task: Task): void {
    task.modified_at = this.stamp();
  }

  private sectionsOf(projectGid: string): Section[] {
    return [...this.sectionsByGid.values()].filter((s) => s.project === projectGid);
  }

  private usersIn(wsGid: string): User[] {
    return [...this.usersByGid.values()].filter((u) => u.workspaces.includes(wsGid));
  }

  /** Adds the task to a project, or moves it to another section of a project it is already in. */
  private joinProject(task: Task, projectGid: string, sectionGid: string | null): void {
    const existing = task.memberships.find((m) => m.project === projectGid);
    if (existing) {
      if (sectionGid !== null) existing.section = sectionGid;
      return;
    }
    task.memberships.push({
      project: projectGid,
      section: sectionGid ?? this.sectionsOf(projectGid)[0]?.gid ?? null,
    });
    task.projects.push(projectGid);
  }

  private leaveProject(task: Task, projectGid: string): void {
    task.memberships = task.memberships.filter((m) => m.project !== projectGid);
    task.projects = task.projects.filter((p) => p !== projectGid);
  }

  private requireModel<T>(map: Map<string, T>, gid: string, kind: string): T {
    const found = map.get(gid);
    if (!found) throw new Error(`FakeAsanaServer: unknown ${kind} ${gid}`);
    return found;
  }

  private requireModelApi<T>(map: Map<string, T>, gid: string, field: string): T {
    const found = map.get(gid);
    if (!found) throw notRecognized(field, gid);
    return found;
  }

  private requireWorkspace(gid: string, field: string): Workspace {
    return this.requireModelApi(this.workspacesByGid, gid, field);
  }

  private requireProject(gid: string, field: string): Project {
    return this.requireModelApi(this.projectsByGid, gid, field);
  }

  private requireSection(gid: string, field: string): Section {
    return this.requireModelApi(this.sectionsByGid, gid, field);
  }

  private requireTask(gid: string, field: string): Task {
    return this.requireModelApi(this.tasksByGid, gid, field);
  }

  /** Accepts 'me', an email address or a gid, like every user parameter of the API. */
  private resolveUser(id: string, field: string): User {
    if (id === 'me') {
      const me = this.meGid ? this.usersByGid.get(this.meGid) : undefined;
      if (!me) throw notRecognized(field, id);
      return me;
    }
    const user = id.includes('@')
      ? [...this.usersByGid.values()].find((u) => u.email.toLowerCase() === id.toLowerCase())
      : this.usersByGid.get(id);
    if (!user) throw notRecognized(field, id);
    return user;
  }

  private resolveMember(id: string, field: string, wsGid: string): string {
    const user = this.resolveUser(id, field);
    if (!user.workspaces.includes(wsGid)) {
      throw badRequest(`${field}: User ${user.gid} is not a member of workspace ${wsGid}`);
    }
    return user.gid;
  }

  // -------------------------------------------------------------------------------------------------
  // Input parsing

  private requireData(ctx: RequestContext): Record<string, unknown> {
    if (ctx.bodyInvalid) throw badRequest('Could not parse request data, invalid JSON');
    const data = asRecord(asRecord(ctx.body)?.data);
    if (!data) throw badRequest('data: Missing input; the request body must be {"data": {...}}');
    return data;
  }

  private requiredString(data: Record<string, unknown>, key: string): string {
    if (data[key] == null) throw badRequest(`${key}: Missing input`);
    return typeof data[key] === 'number' ? String(data[key]) : this.stringField(data, key);
  }

  private stringField(data: Record<string, unknown>, key: string): string {
    const v = data[key];
    if (typeof v !== 'string') throw badRequest(`${key}: Not a string: ${JSON.stringify(v)}`);
    return v;
  }

  private booleanField(data: Record<string, unknown>, key: string): boolean {
    const v = data[key];
    if (typeof v !== 'boolean') throw badRequest(`${key}: Not a boolean: ${JSON.stringify(v)}`);
    return v;
  }

  private stringList(data: Record<string, unknown>, key: string): string[] {
    const v = data[key];
    if (v == null) return [];
    if (!Array.isArray(v)) throw badRequest(`${key}: Must be an array`);
    return v.map((item) => {
      if (typeof item !== 'string' && typeof item !== 'number') {
        throw badRequest(`${key}: Not a valid ID: ${JSON.stringify(item)}`);
      }
      return String(item);
    });
  }

  private optionalBoolean(query: Record<string, string>, key: string): boolean | undefined {
    const v = query[key];
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw badRequest(`${key}: Not a boolean: ${v}`);
  }

  private optionalTime(query: Record<string, string>, key: string): number | undefined {
    const v = query[key];
    if (v === undefined) return undefined;
    if (v === 'now') return this.now().getTime();
    if (!isCalendarDate(v) && !isDateTime(v)) throw badRequest(`${key}: Not a valid date-time: ${v}`);
    return Date.parse(v);
  }

  /** Integer query parameter within 1..100 (Asana's page and count bounds). */
  private boundedInt(query: Record<string, string>, key: string, fallback: number): number {
    const v = query[key];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1 || n > MAX_PAGE_SIZE) {
      throw badRequest(`${key}: Must be an integer between 1 and ${MAX_PAGE_SIZE}: ${v}`);
    }
    return n;
  }

  /** `completed_since`: keep incomplete tasks and those completed at or after the given time. */
  private completedSince(query: Record<string, string>): (t: Task) => boolean {
    const since = this.optionalTime(query, 'completed_since');
    if (since === undefined) return () => true;
    return (t) => !t.completed || (t.completed_at !== null && Date.parse(t.completed_at) >= since);
  }
}
