import { randomBytes } from 'node:crypto';
import type { Logger } from 'winston';
import { AsanaError, AsanaNetworkError, AsanaServerError, AsanaTimeoutError } from '../../errors';
import type { AsanaGateway } from './asana-gateway';
import type { AsanaRef, NewTask, Task } from './types';

/** Everything a reply about a task shows, asked for up front so a create or update costs one request. */
export const TASK_FIELDS = [
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

/** After a create's outcome is unknown, how long to keep looking for it before trying again. */
const RECONCILE_DELAYS_MS = [0, 1_000, 3_000];

interface RawTask {
  gid: string;
  name?: string;
  notes?: string;
  completed?: boolean;
  due_on?: string | null;
  due_at?: string | null;
  assignee?: { gid: string; name?: string } | null;
  projects?: Array<{ gid: string; name?: string }>;
  memberships?: Array<{ project?: { gid: string; name?: string }; section?: { gid: string; name?: string } }>;
  permalink_url?: string;
}

export function toTask(raw: RawTask): Task {
  const ref = (r: { gid: string; name?: string }): AsanaRef => ({ gid: r.gid, name: r.name ?? '' });
  return {
    gid: raw.gid,
    name: raw.name ?? '',
    notes: raw.notes ?? '',
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
        if (!outcomeUnknown(error)) throw error;
        this.logger.warn('task create outcome unknown, checking Asana', { requestRef, attempt });
        const existing = await this.findCreated(input, requestRef, startedAt);
        if (existing) return existing;
        if (attempt >= 2) {
          throw new AsanaTimeoutError(
            'Asana did not confirm the new task; it was not found afterwards',
            'create task',
            (error as AsanaError).status,
            [],
            { cause: error },
          );
        }
      }
    }
  }

  async getTask(taskGid: string): Promise<Task> {
    const result = await this.gateway.call({ name: 'get task', kind: 'read' }, (api) =>
      api.tasks.getTask(taskGid, { opt_fields: TASK_FIELDS }),
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
    for (const delay of RECONCILE_DELAYS_MS) {
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
