import NodeCache from 'node-cache';
import type { Logger } from 'winston';
import { AsanaForbiddenError, AsanaNotFoundError } from '../../errors';
import type { AsanaGateway } from './asana-gateway';
import type { AsanaUser, Project, Section, Workspace } from './types';

/** How long each kind of lookup may be served from memory, in seconds. */
const CacheTtl = {
  workspaces: 60 * 60,
  projects: 10 * 60,
  sections: 10 * 60,
  userByEmail: 60 * 60,
  /** Someone without an Asana account may get one; ask again sooner. */
  missingUser: 10 * 60,
  /** The workspace's whole user list, as trusted as one user looked up by email. */
  workspaceUsers: 60 * 60,
  /** After the user list failed to load, callers hear so at once for this long instead of each retrying it. */
  failedWorkspaceUsers: 5 * 60,
  typeahead: 60,
} as const;

/** Asana's largest page. */
const PAGE_SIZE = 100;

/** Typeahead's largest answer, which is also Slack's cap on options in one reply. */
const TYPEAHEAD_COUNT = 100;

interface Page<T> {
  data: T[];
  next_page?: { offset: string } | null;
}

type RawRef = { gid: string; name?: string };

/** Where a lookup sends its requests. */
export interface LookupOptions {
  /** The gateway to read through; the reminder sweep passes its paced one. The directory's own otherwise. */
  gateway?: AsanaGateway;
}

/**
 * Cached lookups of workspaces, projects, sections and users. Lists are read in full (every page,
 * archived projects excluded) and replaced wholesale on refresh, so a project archived or deleted in
 * Asana disappears at the next load. Concurrent misses for one key share one request.
 */
export class AsanaDirectory {
  private readonly cache = new NodeCache({ useClones: false, checkperiod: 120 });
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly logger: Logger;

  constructor(
    private readonly gateway: AsanaGateway,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'directory' });
  }

  /** Every workspace the PAT's user belongs to. */
  workspaces(): Promise<Workspace[]> {
    return this.cached('workspaces', CacheTtl.workspaces, async () => {
      const raw = await this.readAll<RawRef & { is_organization?: boolean }>('list workspaces', (offset) =>
        this.gateway.call({ name: 'list workspaces', kind: 'read' }, (api) =>
          api.workspaces.getWorkspaces({ limit: PAGE_SIZE, offset, opt_fields: 'name,is_organization' }),
        ),
      );
      return raw.map((w) => ({ gid: w.gid, name: w.name ?? '', isOrganization: w.is_organization ?? false }));
    });
  }

  /** Every project of the workspace that is not archived, across all pages. */
  projects(workspaceGid: string): Promise<Project[]> {
    return this.cached(`projects:${workspaceGid}`, CacheTtl.projects, async () => {
      const raw = await this.readAll<RawRef>('list projects', (offset) =>
        this.gateway.call({ name: 'list projects', kind: 'read' }, (api) =>
          api.projects.getProjects({
            workspace: workspaceGid,
            archived: false,
            limit: PAGE_SIZE,
            offset,
            opt_fields: 'name',
          }),
        ),
      );
      this.logger.debug('projects loaded', { workspaceGid, count: raw.length });
      return raw.map((p) => ({ gid: p.gid, name: p.name ?? '', workspaceGid }));
    });
  }

  /** Whether the project list of the workspace is already in memory. */
  hasProjects(workspaceGid: string): boolean {
    return this.cache.has(`projects:${workspaceGid}`);
  }

  /**
   * Projects for a picker: from the cached list when it is loaded (exhaustive, instant), else from
   * Asana's typeahead (one fast request) while the full list loads in the background.
   */
  async searchProjects(workspaceGid: string, query: string, limit = TYPEAHEAD_COUNT): Promise<Project[]> {
    if (this.hasProjects(workspaceGid)) {
      return rankByName(await this.projects(workspaceGid), query).slice(0, limit);
    }
    this.projects(workspaceGid).catch((error) =>
      this.logger.warn('background project load failed', { workspaceGid, code: error?.code }),
    );
    const key = `typeahead:project:${workspaceGid}:${query.toLowerCase()}`;
    const found = await this.cached(key, CacheTtl.typeahead, async () => {
      const result = await this.gateway.call({ name: 'search projects', kind: 'read' }, (api) =>
        api.typeahead.typeaheadForWorkspace(workspaceGid, 'project', {
          query,
          count: TYPEAHEAD_COUNT,
          opt_fields: 'name',
        }),
      );
      return (result.data as RawRef[]).map((p) => ({ gid: p.gid, name: p.name ?? '', workspaceGid }));
    });
    return found.slice(0, limit);
  }

  /** The sections of a project, in board order. */
  sections(projectGid: string): Promise<Section[]> {
    return this.cached(`sections:${projectGid}`, CacheTtl.sections, async () => {
      const raw = await this.readAll<RawRef>('list sections', (offset) =>
        this.gateway.call({ name: 'list sections', kind: 'read' }, (api) =>
          api.sections.getSectionsForProject(projectGid, { limit: PAGE_SIZE, offset, opt_fields: 'name' }),
        ),
      );
      return raw.map((s) => ({ gid: s.gid, name: s.name ?? '', projectGid }));
    });
  }

  /**
   * The Asana user with this email in the workspace, or undefined when there is none. Served from the
   * workspace's user list when it is loaded and holds the email; asks Asana otherwise.
   */
  async userByEmail(
    workspaceGid: string,
    email: string,
    options: LookupOptions = {},
  ): Promise<AsanaUser | undefined> {
    const listed = this.cache.get<Map<string, AsanaUser>>(usersKey(workspaceGid))?.get(email.toLowerCase());
    if (listed) return listed;
    const key = `user:${workspaceGid}:${email.toLowerCase()}`;
    const hit = this.cache.get<AsanaUser | null>(key);
    if (hit !== undefined) return hit ?? undefined;
    const gateway = options.gateway ?? this.gateway;
    return this.shared(key, async () => {
      try {
        const result = await gateway.call({ name: 'get user by email', kind: 'read' }, (api) =>
          api.users.getUserForWorkspace(workspaceGid, email, { opt_fields: 'name,email' }),
        );
        const user: AsanaUser = {
          gid: result.data.gid,
          name: result.data.name ?? '',
          email: result.data.email,
        };
        this.cache.set(key, user, CacheTtl.userByEmail);
        return user;
      } catch (error) {
        if (!(error instanceof AsanaNotFoundError || error instanceof AsanaForbiddenError)) throw error;
        // Remember the miss briefly, so a person without an Asana account doesn't cost a request each time.
        this.cache.set(key, null, CacheTtl.missingUser);
        return undefined;
      }
    });
  }

  /**
   * Every user of the workspace whose email Asana shows, keyed by lower-cased email: the paged
   * `GET /users?workspace=` (100 a page) as background work, so one request maps up to 100 people
   * instead of one each. Cached; concurrent callers share one load (read through the first caller's
   * gateway). A failed load is remembered briefly: callers get the error at once, without a request,
   * and can look people up one by one meanwhile.
   */
  usersByEmail(workspaceGid: string, options: LookupOptions = {}): Promise<ReadonlyMap<string, AsanaUser>> {
    const key = usersKey(workspaceGid);
    const failure = this.cache.get<Error>(`${key}:failed`);
    if (failure !== undefined) return Promise.reject(failure);
    const gateway = options.gateway ?? this.gateway;
    return this.cached(key, CacheTtl.workspaceUsers, async () => {
      try {
        const raw = await this.readAll<RawRef & { email?: string | null }>('list users', (offset) =>
          gateway.call({ name: 'list users', kind: 'read', priority: 'background' }, (api) =>
            api.users.getUsers({
              workspace: workspaceGid,
              limit: PAGE_SIZE,
              offset,
              opt_fields: 'email,name',
            }),
          ),
        );
        const byEmail = new Map<string, AsanaUser>();
        for (const u of raw) {
          // Asana leaves out emails a token may not see; such users can only be found one by one.
          if (!u.email) continue;
          const email = u.email.toLowerCase();
          if (!byEmail.has(email)) byEmail.set(email, { gid: u.gid, name: u.name ?? '', email: u.email });
        }
        this.logger.info('workspace users loaded', {
          workspaceGid,
          users: raw.length,
          withEmail: byEmail.size,
        });
        return byEmail;
      } catch (error) {
        this.cache.set(`${key}:failed`, error, CacheTtl.failedWorkspaceUsers);
        this.logger.warn('could not list the workspace users', {
          workspaceGid,
          code: (error as { code?: string }).code,
        });
        throw error;
      }
    });
  }

  /** Drops a project Asana says is gone or hidden, so pickers and name lookups stop offering it. */
  evictProject(projectGid: string): void {
    for (const key of this.cache.keys()) {
      if (key.startsWith('projects:')) {
        const list = this.cache.get<Project[]>(key) ?? [];
        if (list.some((p) => p.gid === projectGid)) {
          const ttl = this.cache.getTtl(key);
          const remaining = ttl ? Math.max(1, Math.round((ttl - Date.now()) / 1000)) : CacheTtl.projects;
          this.cache.set(
            key,
            list.filter((p) => p.gid !== projectGid),
            remaining,
          );
        }
      } else if (key.startsWith('typeahead:project:')) {
        this.cache.del(key);
      }
    }
    this.cache.del(`sections:${projectGid}`);
    this.logger.info('project evicted from cache', { projectGid });
  }

  /** Forgets a project's sections, after Asana said one of them is gone. */
  evictSections(projectGid: string): void {
    this.cache.del(`sections:${projectGid}`);
  }

  /** Forgets everything; the next lookups go to Asana. */
  clear(): void {
    this.cache.flushAll();
  }

  private async cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get<T>(key);
    if (hit !== undefined) return hit;
    return this.shared(key, async () => {
      const value = await load();
      this.cache.set(key, value, ttlSeconds);
      return value;
    });
  }

  /** One load per key at a time; later callers wait for the first. */
  private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async readAll<T>(what: string, fetchPage: (offset?: string) => Promise<Page<T>>): Promise<T[]> {
    const items: T[] = [];
    let offset: string | undefined;
    for (let page = 1; ; page++) {
      const result = await fetchPage(offset);
      items.push(...(result.data ?? []));
      // next_page is absent or null on the last page.
      offset = result.next_page?.offset;
      if (!offset) return items;
      if (page % 20 === 0) this.logger.debug('still paging', { what, items: items.length });
    }
  }
}

function usersKey(workspaceGid: string): string {
  return `users:${workspaceGid}`;
}

/**
 * Orders projects for a query: exact name, then names starting with it, then names containing it, then
 * names whose words start with the query's words. Case- and accent-insensitive.
 */
export function rankByName<T extends { name: string }>(items: T[], query: string): T[] {
  const q = fold(query);
  if (!q) return [...items].sort((a, b) => a.name.localeCompare(b.name));
  const scored: Array<{ item: T; score: number }> = [];
  const qWords = q.split(' ');
  for (const item of items) {
    const name = fold(item.name);
    let score = -1;
    if (name === q) score = 0;
    else if (name.startsWith(q)) score = 1;
    else if (name.includes(q)) score = 2;
    else if (qWords.every((w) => name.split(' ').some((n) => n.startsWith(w)))) score = 3;
    if (score >= 0) scored.push({ item, score });
  }
  scored.sort((a, b) => a.score - b.score || a.item.name.localeCompare(b.item.name));
  return scored.map((s) => s.item);
}

/** Lower case, accents removed, runs of space collapsed. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
