import type { Logger } from 'winston';
import type { AsanaGateway } from '../services/asana/asana-gateway';
import type { Clock } from '../clock';
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
/**
 * When more people than this wait to be linked to Asana (a first sweep, or many new people at once),
 * they are linked from the workspace's user list, one request per 100 users, instead of one request
 * each. Below it, one lookup each is cheaper unless the workspace has thousands of users; people found
 * in a list already loaded cost nothing either way.
 */
const USER_LIST_MIN_PEOPLE = 25;
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

  /**
   * The person's Asana user gid, or undefined when their Slack email matches nobody in the workspace.
   * `queued` are the people whose reads wait behind this one: when many of them lack a link too, every
   * one is linked from the workspace's user list rather than by a lookup each.
   */
  async asanaUser(profile: SlackProfile, queued: Iterable<string> = []): Promise<string | undefined> {
    if (!profile.email) return undefined;
    const link = await this.options.store.getUserLink(profile.id);
    if (link?.asanaUserGid && link.email === profile.email && this.recent(link.checkedAt)) {
      return link.asanaUserGid;
    }
    // Any request People makes goes through the paced gateway, so it waits its turn like a task read.
    const identity = await this.options.people.asanaIdentity(profile.id, {
      fromUserList: await this.manyToLink(queued),
      gateway: this.paced,
    });
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
      const listGid = await this.tasks.myTasksListGid(asanaUserGid, this.options.workspaceGid);
      const url = `https://app.asana.com/0/${listGid}/list`;
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

  private recent(checkedAt: string): boolean {
    return this.options.clock.now() - Date.parse(checkedAt) < REMINDER_LINK_MAX_AGE_MS;
  }

  /** Whether, with this person, more than USER_LIST_MIN_PEOPLE queued people lack a usable link. */
  private async manyToLink(queued: Iterable<string>): Promise<boolean> {
    let unlinked = 1;
    for (const slackUserId of queued) {
      const link = await this.options.store.getUserLink(slackUserId);
      if (!link?.asanaUserGid || !this.recent(link.checkedAt)) unlinked += 1;
      if (unlinked > USER_LIST_MIN_PEOPLE) return true;
    }
    return false;
  }
}

function dueBefore(task: Task, horizon: number): boolean {
  if (task.dueAt) return Date.parse(task.dueAt) <= horizon;
  if (task.dueOn) return Date.parse(`${task.dueOn}T00:00:00Z`) <= horizon;
  return false;
}
