import { randomBytes } from 'node:crypto';
import type { Logger } from 'winston';
import {
  AsanaError,
  AsanaInvalidInputError,
  AsanaNetworkError,
  AsanaPaymentRequiredError,
  AsanaServerError,
  AsanaTimeoutError,
} from '../../errors';
import type { AsanaGateway } from './asana-gateway';
import type { AsanaRef, NewTask, Task } from './types';

/** Everything a reply about a task shows, asked for up front so a create or update costs one request. */
const TASK_FIELDS = [
  'name',
  'notes',
  'completed',
  'due_on',
  'due_at',
  'assignee.name',
  'projects.name',
  'memberships.project.name',
  'memberships.section.name',
  'permalink_url',
].join(',');

/**
 * After a create's outcome is unknown, when to look for it before sending it again: about forty seconds
 * in all, so a write still queued at Asana when our 20 s timeout fired has a minute from its start to
 * land (Asana gives up on requests well before that) and is found rather than duplicated.
 */
const DEFAULT_RECONCILE_DELAYS_MS = [0, 1_000, 3_000, 7_000, 12_000, 18_000];

/** Fields a person can change from Slack; `null` clears. */
export interface TaskChanges {
  completed?: boolean;
  /** Asana user gid, or null for nobody. */
  assignee?: string | null;
  dueOn?: string | null;
  dueAt?: string | null;
}

interface RawTask {
  gid: string;
  name?: string;
  notes?: string;
  html_notes?: string;
  completed?: boolean;
  due_on?: string | null;
  due_at?: string | null;
  assignee?: { gid: string; name?: string } | null;
  projects?: Array<{ gid: string; name?: string }>;
  memberships?: Array<{ project?: { gid: string; name?: string }; section?: { gid: string; name?: string } }>;
  permalink_url?: string;
}

function toTask(raw: RawTask): Task {
  const ref = (r: { gid: string; name?: string }): AsanaRef => ({ gid: r.gid, name: r.name ?? '' });
  return {
    gid: raw.gid,
    name: raw.name ?? '',
    notes: raw.notes ?? '',
    ...(raw.html_notes !== undefined ? { htmlNotes: raw.html_notes } : {}),
    completed: raw.completed ?? false,
    dueOn: raw.due_on ?? null,
    dueAt: raw.due_at ?? null,
    assignee: raw.assignee ? ref(raw.assignee) : null,
    projects: (raw.projects ?? []).map(ref),
    sections: (raw.memberships ?? []).flatMap((m) => (m.section ? [ref(m.section)] : [])),
    permalinkUrl: raw.permalink_url ?? `https://app.asana.com/0/0/${raw.gid}`,
  };
}

/** A short random tag written into a new task's notes, so a create whose reply was lost can be found. */
export function newRequestRef(): string {
  return randomBytes(4).toString('hex');
}

/** The letters and digits of a text, lower-cased: what survives Asana's rendering of a comment. */
function wordsOf(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The text content of our own rich text, as Asana renders it to `text` (tags dropped, entities read). */
function textOfHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Whether two comments open with the same 12 and close with the same 24 letters and digits. */
function sameEnds(a: string, b: string): boolean {
  return a.slice(0, 12) === b.slice(0, 12) && a.slice(-24) === b.slice(-24);
}

/** Whether a failed write may nevertheless have reached Asana. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof AsanaTimeoutError || error instanceof AsanaServerError) return true;
  return (
    error instanceof AsanaNetworkError &&
    (error.cause as { code?: string } | undefined)?.code !== 'ECONNREFUSED'
  );
}

/** Task operations, in the bridge's own types, over the gateway. */
export class TaskService {
  private readonly logger: Logger;

  constructor(
    private readonly gateway: AsanaGateway,
    logger: Logger,
    private readonly reconcileDelaysMs: readonly number[] = DEFAULT_RECONCILE_DELAYS_MS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.logger = logger.child({ component: 'tasks' });
  }

  /**
   * Creates one task. `requestRef` must appear in `input.notes`: when Asana's answer is lost (timeout,
   * 5xx, dropped connection) the task is looked up by it before the create is tried again, so a slow
   * Asana never yields two tasks.
   */
  async createTask(input: NewTask, requestRef: string): Promise<Task> {
    const startedAt = new Date();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.postTask(input);
      } catch (error) {
        // Rich text Asana will not take must not cost the task: send the same notes as plain text.
        if (input.htmlNotes !== undefined && error instanceof AsanaInvalidInputError) {
          this.logger.warn('rich text notes refused, creating with plain notes', {
            requestRef,
            reason: error.message,
          });
          input = { ...input, htmlNotes: undefined };
          attempt -= 1;
          continue;
        }
        if (!outcomeUnknown(error)) throw error;
        this.logger.warn('task create outcome unknown, checking Asana', { requestRef, attempt });
        const existing = await this.findCreated(input, requestRef, startedAt);
        if (existing) return existing;
        // Asana's own error (its phrase for a 5xx, or the timeout) is what the person and the log need.
        if (attempt >= 2) throw error;
      }
    }
  }

  /**
   * Changes some fields of a task. A PUT sets absolute values, so repeating it is harmless and the
   * gateway may retry it after a timeout.
   */
  async updateTask(taskGid: string, changes: TaskChanges): Promise<Task> {
    const data: Record<string, unknown> = {};
    if (changes.completed !== undefined) data.completed = changes.completed;
    if (changes.assignee !== undefined) data.assignee = changes.assignee;
    if (changes.dueOn !== undefined || changes.dueAt !== undefined) {
      // Asana keeps one of the two; clearing the other avoids a 400 when switching kinds.
      data.due_on = changes.dueOn ?? null;
      data.due_at = changes.dueAt ?? null;
    }
    const result = await this.gateway.call({ name: 'update task', kind: 'write', idempotent: true }, (api) =>
      api.tasks.updateTask({ data }, taskGid, { opt_fields: TASK_FIELDS }),
    );
    return toTask(result.data);
  }

  /**
   * Adds a comment. A comment is not idempotent, so when Asana's answer is lost the task's recent
   * comments are checked for it before it is posted again.
   */
  async addComment(taskGid: string, comment: { text: string; html?: string }): Promise<{ gid: string }> {
    const post = (body: Record<string, unknown>) =>
      this.gateway.call({ name: 'add comment', kind: 'write' }, (api) =>
        api.stories.createStoryForTask({ data: body }, taskGid, { opt_fields: 'text' }),
      );
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        try {
          const result = comment.html
            ? await post({ html_text: comment.html })
            : await post({ text: comment.text });
          return { gid: result.data.gid };
        } catch (error) {
          // Rich text Asana will not take still reaches it, as plain text.
          if (comment.html && error instanceof AsanaInvalidInputError) {
            this.logger.warn('rich text comment refused, sending plain text', {
              taskGid,
              reason: error.message,
            });
            return { gid: (await post({ text: comment.text })).data.gid };
          }
          throw error;
        }
      } catch (error) {
        if (!outcomeUnknown(error) || attempt >= 2) throw error;
        // Compare with what Asana shows as the comment's text: the rich version's words, when there is one.
        const posted = await this.findComment(
          taskGid,
          comment.html ? textOfHtml(comment.html) : comment.text,
          startedAt,
        );
        if (posted) return posted;
      }
    }
  }

  /**
   * Open tasks assigned to someone in the workspace, every page. `priority` lets reminder sweeps run
   * on the background share of the request budget.
   */
  async listOpenTasks(
    assigneeGid: string,
    workspaceGid: string,
    options: { priority?: 'interactive' | 'background'; maxPages?: number } = {},
  ): Promise<Task[]> {
    const tasks: Task[] = [];
    let offset: string | undefined;
    for (let page = 0; page < (options.maxPages ?? 50); page++) {
      const result = await this.gateway.call(
        { name: 'list open tasks', kind: 'read', priority: options.priority ?? 'interactive' },
        (api) =>
          api.tasks.getTasks({
            assignee: assigneeGid,
            workspace: workspaceGid,
            completed_since: 'now',
            limit: 100,
            offset,
            opt_fields: TASK_FIELDS,
          }),
      );
      tasks.push(...(result.data as RawTask[]).map(toTask));
      offset = result.next_page?.offset;
      if (!offset) break;
    }
    return tasks;
  }

  /**
   * Full-text search, where the Asana plan has it. On a free plan (402) falls back to typeahead, which
   * matches names only, and says so through `fallback`.
   */
  async searchTasks(
    workspaceGid: string,
    text: string,
    limit = 20,
  ): Promise<{ tasks: Task[]; fallback: boolean }> {
    try {
      const result = await this.gateway.call({ name: 'search tasks', kind: 'read' }, (api) =>
        // The SDK's types omit `limit`, which the search endpoint documents in prose and honours.
        api.tasks.searchTasksForWorkspace(workspaceGid, {
          text,
          completed: false,
          sort_by: 'modified_at',
          opt_fields: TASK_FIELDS,
          ...({ limit } as Record<string, unknown>),
        }),
      );
      return { tasks: (result.data as RawTask[]).map(toTask), fallback: false };
    } catch (error) {
      if (!(error instanceof AsanaPaymentRequiredError)) throw error;
      return { tasks: await this.typeaheadTasks(workspaceGid, text, limit), fallback: true };
    }
  }

  /** The gid of a person's "My Tasks" list in the workspace, for links to all of their tasks. */
  async myTasksListGid(assigneeGid: string, workspaceGid: string): Promise<string> {
    const result = await this.gateway.call({ name: 'get my tasks list', kind: 'read' }, (api) =>
      api.userTaskLists.getUserTaskListForUser(assigneeGid, workspaceGid, { opt_fields: 'name' }),
    );
    return result.data.gid;
  }

  /** Tasks whose names match, fast and on every plan; for pickers. */
  async typeaheadTasks(workspaceGid: string, query: string, count = 20): Promise<Task[]> {
    const result = await this.gateway.call({ name: 'find tasks', kind: 'read' }, (api) =>
      api.typeahead.typeaheadForWorkspace(workspaceGid, 'task', { query, count, opt_fields: TASK_FIELDS }),
    );
    return (result.data as RawTask[]).map(toTask);
  }

  async getTask(taskGid: string): Promise<Task> {
    const result = await this.gateway.call({ name: 'get task', kind: 'read' }, (api) =>
      api.tasks.getTask(taskGid, { opt_fields: `${TASK_FIELDS},html_notes` }),
    );
    return toTask(result.data);
  }

  private async postTask(input: NewTask): Promise<Task> {
    const data: Record<string, unknown> = { name: input.name, workspace: input.workspaceGid };
    if (input.htmlNotes !== undefined) data.html_notes = input.htmlNotes;
    else if (input.notes !== undefined) data.notes = input.notes;
    if (input.dueOn) data.due_on = input.dueOn;
    if (input.dueAt) data.due_at = input.dueAt;
    if (input.startOn) data.start_on = input.startOn;
    if (input.assignee) data.assignee = input.assignee;
    if (input.followers?.length) data.followers = input.followers;
    if (input.projectGid) {
      // memberships places the task in the section in the same request; projects alone when no section.
      if (input.sectionGid) data.memberships = [{ project: input.projectGid, section: input.sectionGid }];
      else data.projects = [input.projectGid];
    }

    const result = await this.gateway.call({ name: 'create task', kind: 'write' }, (api) =>
      api.tasks.createTask({ data }, { opt_fields: TASK_FIELDS }),
    );
    return toTask(result.data);
  }

  /**
   * Looks for a task this request may already have created. Reads are strongly consistent in Asana for
   * project task lists and typeahead is fast, so both are fine here; search is not (it lags writes).
   */
  private async findCreated(input: NewTask, requestRef: string, since: Date): Promise<Task | undefined> {
    for (const delay of this.reconcileDelaysMs) {
      if (delay > 0) await this.sleep(delay);
      try {
        const candidates = input.projectGid
          ? await this.recentProjectTasks(input.projectGid, since)
          : await this.tasksNamed(input.workspaceGid, input.name);
        const found = candidates.find((t) => t.name === input.name && (t.notes ?? '').includes(requestRef));
        if (found) return this.getTask(found.gid);
      } catch (error) {
        this.logger.warn('could not check whether the task was created', {
          requestRef,
          code: (error as AsanaError).code,
        });
      }
    }
    return undefined;
  }

  /**
   * A comment this request may already have posted: one made since it started that begins and ends
   * with the same words. Not the exact text, because Asana derives a rich comment's `text` from its
   * HTML, where links and mentions read differently; the ends carry what makes a comment unique (the
   * person's words, a message's permalink).
   */
  private async findComment(
    taskGid: string,
    text: string,
    since: number,
  ): Promise<{ gid: string } | undefined> {
    const wanted = wordsOf(text);
    try {
      // Stories come oldest first; a long-lived task needs its last page, so read them all (bounded).
      let offset: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await this.gateway.call({ name: 'list comments', kind: 'read' }, (api) =>
          api.stories.getStoriesForTask(taskGid, {
            limit: 100,
            offset,
            opt_fields: 'text,created_at,resource_subtype',
          }),
        );
        const stories = result.data as Array<{
          gid: string;
          text?: string;
          created_at?: string;
          resource_subtype?: string;
        }>;
        const found = stories.find(
          (s) =>
            s.resource_subtype === 'comment_added' &&
            Date.parse(s.created_at ?? '') >= since - 60_000 &&
            sameEnds(wordsOf(s.text ?? ''), wanted),
        );
        if (found) return found;
        offset = result.next_page?.offset;
        if (!offset) return undefined;
      }
    } catch {
      // Unknown stays unknown; the caller tries the comment once more.
    }
    return undefined;
  }

  private async recentProjectTasks(projectGid: string, since: Date): Promise<RawTask[]> {
    // A minute of slack either side of our clock; modified_since includes tasks created since.
    const modifiedSince = new Date(since.getTime() - 60_000).toISOString();
    const result = await this.gateway.call({ name: 'list recent project tasks', kind: 'read' }, (api) =>
      api.tasks.getTasks({
        project: projectGid,
        modified_since: modifiedSince,
        limit: 100,
        opt_fields: 'name,notes',
      }),
    );
    return result.data as RawTask[];
  }

  private async tasksNamed(workspaceGid: string, name: string): Promise<RawTask[]> {
    const result = await this.gateway.call({ name: 'find task by name', kind: 'read' }, (api) =>
      api.typeahead.typeaheadForWorkspace(workspaceGid, 'task', {
        query: name,
        count: 20,
        opt_fields: 'name,notes',
      }),
    );
    return result.data as RawTask[];
  }
}
