import type { Logger } from 'winston';
import type { AsanaGateway } from '../services/asana/asana-gateway';
import type { Clock } from '../services/asana/request-limiter';
import { TaskService } from '../services/asana/task-service';
import type { Task } from '../services/asana/types';
import type { People } from '../services/people';
import type { SlackProfile, SlackUsers } from '../services/slack/slack-users';
import type { Store } from '../store/store';
import type { RequestPacer } from './request-pacer';
import { pacedGateway } from './paced-gateway';
import type { TaskSnapshot } from './reminder-plan';

/**
 * How old a stored Slack->Asana link may be for a reminder. People re-checks links daily for commands;
 * a sweep runs daily too, so honouring that would cost every person an extra Asana lookup every day.
 * A link is still re-checked at once when the Slack email changes, and a stale one can only cost an
 * empty task list, never a DM to the wrong person.
 */
const REMINDER_LINK_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Tasks due later than this are left out of a snapshot; they cannot be due before the next read. */
const SNAPSHOT_HORIZON_MS = 3 * 24 * 60 * 60 * 1000;

export interface ReminderReaderOptions {
  users: SlackUsers;
  people: People;
  store: Store;
  gateway: AsanaGateway;
  pacer: RequestPacer;
  workspaceGid: string;
  clock: Clock;
  logger: Logger;
}

/**
 * What a sweep reads about one person: their Slack profile (for the time zone and who may get DMs),
 * their Asana user, and their open tasks, with every Asana request paced as background work.
 */
export class ReminderReader {
  private readonly tasks: TaskService;
  private readonly paced: AsanaGateway;
  private readonly myTasksUrls = new Map<string, string>();

  constructor(private readonly options: ReminderReaderOptions) {
    this.paced = pacedGateway(options.gateway, options.pacer, options.logger);
    this.tasks = new TaskService(this.paced, options.logger);
  }

  /** The pace of the sweep's Asana requests, which also sizes how much periodic re-reading it queues. */
  get requestsPerMinute(): number {
    return this.options.pacer.requestsPerMinute;
  }

  profile(slackUserId: string): Promise<SlackProfile> {
    return this.options.users.profile(slackUserId);
  }

  /** Why this person gets no reminders, or undefined when they may. */
  ineligibility(profile: SlackProfile): string | undefined {
    if (profile.isBot) return 'a bot';
    if (profile.deleted) return 'deactivated';
    if (profile.isExternal) return 'from another organisation';
    return undefined;
  }

  /** The person's Asana user gid, or undefined when their Slack email matches nobody in the workspace. */
  async asanaUser(profile: SlackProfile): Promise<string | undefined> {
    if (!profile.email) return undefined;
    const link = await this.options.store.getUserLink(profile.id);
    const age = link ? this.options.clock.now() - Date.parse(link.checkedAt) : Infinity;
    if (link?.asanaUserGid && link.email === profile.email && age < REMINDER_LINK_MAX_AGE_MS) {
      return link.asanaUserGid;
    }
    // TODO: on a first sweep every person costs one lookup here, doubling that sweep's requests; on a
    // 150/min plan a crowd of about 1,000 at one reminder time then gets its first DMs up to ~12 minutes
    // late. Listing the workspace's users (100 a page, with emails) when many links are missing would
    // cost about one request per 100 people instead.
    // People may have to ask Asana; that request is not paced by the gateway wrapper, so pace it here.
    await this.options.pacer.take();
    const identity = await this.options.people.asanaIdentity(profile.id);
    return identity.kind === 'mapped' ? identity.gid : undefined;
  }

  /** One paged read (100 a page) of the person's open tasks, kept to those due within a few days. */
  async snapshot(asanaUserGid: string): Promise<TaskSnapshot> {
    const fetchedAt = this.options.clock.now();
    const open = await this.tasks.listOpenTasks(asanaUserGid, this.options.workspaceGid, {
      priority: 'background',
    });
    const horizon = fetchedAt + SNAPSHOT_HORIZON_MS;
    const tasks = open.filter((task) => !task.completed && dueBefore(task, horizon));
    return { fetchedAt, asanaUserGid, tasks };
  }

  /**
   * A link to the person's My Tasks in Asana, for a DM with more tasks than fit. One request the first
   * time for each person, none after; undefined when Asana will not say.
   */
  async myTasksUrl(asanaUserGid: string): Promise<string | undefined> {
    const known = this.myTasksUrls.get(asanaUserGid);
    if (known) return known;
    try {
      const result = await this.paced.call({ name: 'get my tasks list', kind: 'read' }, (api) =>
        api.userTaskLists.getUserTaskListForUser(asanaUserGid, this.options.workspaceGid, {
          opt_fields: 'name',
        }),
      );
      const url = `https://app.asana.com/0/${result.data.gid}/list`;
      this.myTasksUrls.set(asanaUserGid, url);
      return url;
    } catch (error) {
      this.options.logger.warn('could not find the My Tasks list', {
        asanaUserGid,
        code: (error as { code?: string }).code,
      });
      return undefined;
    }
  }
}

function dueBefore(task: Task, horizon: number): boolean {
  if (task.dueAt) return Date.parse(task.dueAt) <= horizon;
  if (task.dueOn) return Date.parse(`${task.dueOn}T00:00:00Z`) <= horizon;
  return false;
}
