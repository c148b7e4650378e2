import { DateTime } from 'luxon';
import {
  type CardContext,
  QUERY_MAX,
  TASKS_PER_PAGE,
  taskCardMessage,
  taskListMessage,
} from '../blocks/task-card';
import { escapeWithin } from '../text/escape-within';
import type { SlackMessage } from '../blocks/task-message';
import { UserInputError } from '../errors';
import type { TaskService } from './asana/task-service';
import type { Task } from './asana/types';
import type { People } from './people';
import type { SlackProfile } from './slack/slack-users';

/** A person's open tasks are read in full to sort them; past this many pages the rest are left out. */
const MAX_TASK_PAGES = 10;

export interface RenderOptions {
  /** Only the person sees the message: it gets a Share button. */
  shareable: boolean;
  sharedBy?: string;
  headline?: string;
  now?: Date;
}

/**
 * The task views people see in Slack: one task, "my tasks" a page at a time, and search results. Each
 * can be drawn again from its CardContext alone, which is how buttons redraw the message they sit in.
 */
export class TaskViews {
  constructor(
    private readonly tasks: TaskService,
    private readonly people: People,
    private readonly workspaceGid: string,
  ) {}

  async render(context: CardContext, requester: SlackProfile, options: RenderOptions): Promise<SlackMessage> {
    const now = options.now ?? new Date();
    const common = {
      timeZone: requester.timeZone,
      now,
      shareable: options.shareable,
      sharedBy: options.sharedBy,
    };
    if (context.v === 'mine') {
      const tasks = await this.myTasks(requester);
      const page = clampPage(context.p, tasks.length);
      return taskListMessage(tasks, {
        ...common,
        title: 'Your open Asana tasks',
        context: { v: 'mine' },
        page,
        total: tasks.length,
        notice: options.headline,
        empty: 'Nothing assigned to you is open. :tada:',
      });
    }
    if (context.v === 'find') {
      const query = context.q ?? '';
      const { tasks, fallback } = await this.tasks.searchTasks(this.workspaceGid, query, 100);
      const page = clampPage(context.p, tasks.length);
      const notices = [
        options.headline,
        fallback
          ? 'Full-text search needs a paid Asana plan, so these are the open tasks whose names match.'
          : undefined,
      ].filter(Boolean);
      return taskListMessage(tasks, {
        ...common,
        title: `Tasks matching “${escapeWithin(query, QUERY_MAX)}”`,
        context: { v: 'find', q: query },
        page,
        total: tasks.length,
        notice: notices.join(' ') || undefined,
        empty: 'No open task matches. Try fewer or other words.',
      });
    }
    const task = await this.tasks.getTask(context.t);
    return taskCardMessage(task, { ...common, headline: options.headline });
  }

  /** The requester's open tasks in the workspace: overdue first, then by due date, undated last. */
  async myTasks(requester: SlackProfile): Promise<Task[]> {
    const identity = await this.people.asanaIdentity(requester.id);
    if (identity.kind === 'unmapped') {
      throw new UserInputError(`${identity.reason}, so I can't tell which tasks are yours.`);
    }
    const tasks = await this.tasks.listOpenTasks(identity.gid, this.workspaceGid, {
      maxPages: MAX_TASK_PAGES,
    });
    return sortByDue(tasks, requester.timeZone);
  }
}

/** Earliest deadline first; a date-only task counts as due at the end of its day where the person is. */
function sortByDue(tasks: Task[], timeZone: string): Task[] {
  const key = (task: Task): number => {
    if (task.dueAt) return Date.parse(task.dueAt);
    if (task.dueOn) return DateTime.fromISO(task.dueOn, { zone: timeZone }).endOf('day').toMillis();
    return Number.POSITIVE_INFINITY;
  };
  return [...tasks].sort((a, b) => key(a) - key(b) || a.name.localeCompare(b.name));
}

function clampPage(page: number | undefined, total: number): number {
  const last = Math.max(0, Math.ceil(total / TASKS_PER_PAGE) - 1);
  return Math.min(Math.max(0, Math.floor(page ?? 0)), last);
}
