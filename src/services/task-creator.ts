import { DateTime } from 'luxon';
import type { Logger } from 'winston';
import { parseCreateText } from '../commands/create-grammar';
import { type DueDate, UnreadableDateError, parseDue } from '../dates/parse-due';
import { resolveDateTokens } from '../dates/slack-date-token';
import { AsanaForbiddenError, AsanaNotFoundError, UserInputError } from '../errors';
import type { ChannelDefault, Store } from '../store/store';
import { cleanName, cleanText } from '../text/clean-text';
import { extractMentionedUserIds, slackToPlainText } from '../text/slack-text';
import { truncate } from '../text/truncate';
import { appendToBody, escapeXmlText } from '../text/xml';
import { type AsanaDirectory, fold, rankByName } from './asana/asana-directory';
import { type TaskService, newRequestRef } from './asana/task-service';
import { type NewTask, type Project, type Section, TASK_NAME_MAX, type Task } from './asana/types';
import { assertAssignable } from './assignee-check';
import { logFailure } from './error-reporting';
import type { People } from './people';
import type { SlackProfile, SlackUsers } from './slack/slack-users';

/** A created task and anything the person should know about how it was made. */
export interface CreateResult {
  task: Task;
  /** Short sentences, e.g. why the task is unassigned. */
  notices: string[];
}

/** The tasks one command created, and what the person should know. */
export interface BatchResult {
  tasks: Task[];
  notices: string[];
}

/** What the message shortcut's modal collected. */
export interface MessageTaskInput {
  name: string;
  notes: string;
  /** The same notes as Asana rich text (`<body>…</body>`), when the message's formatting is kept. */
  richNotes?: string;
  projectGid?: string;
  sectionGid?: string;
  assigneeSlackId?: string;
  dueOn?: string;
  requester: SlackProfile;
  /** The Slack message the task came from. */
  permalink?: string;
  authorName?: string;
}

export interface TaskCreatorOptions {
  tasks: TaskService;
  directory: AsanaDirectory;
  users: SlackUsers;
  people: People;
  workspaceGid: string;
  store: Store;
  logger: Logger;
  now?: () => Date;
}

/** Lines (tasks) one `/asana create` may hold; more is likely a paste gone wrong. */
const MAX_LINES = 25;

/** Largest number of candidates named when a project name is ambiguous. */
const MAX_CANDIDATES_SHOWN = 5;

/**
 * Turns what a person asked for in Slack into one Asana task: decodes their text, resolves project,
 * section, assignee and due date, and refuses before any write when something does not resolve.
 */
export class TaskCreator {
  private readonly logger: Logger;
  private readonly now: () => Date;

  constructor(private readonly options: TaskCreatorOptions) {
    this.logger = options.logger.child({ component: 'task-creator' });
    this.now = options.now ?? (() => new Date());
  }

  /**
   * `/asana create …`: `argsText` is everything after the subcommand, still in Slack's escaped form. One
   * task per line; every line is checked before the first is created, so a typo on line three does not
   * leave lines one and two half-done. A channel's default project applies where no project is named.
   */
  async createFromCommand(
    argsText: string,
    requester: SlackProfile,
    channelId?: string,
  ): Promise<BatchResult> {
    const lines = argsText
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (lines.length === 0) {
      throw new UserInputError(
        'Give the task a name, e.g. `/asana create Update onboarding doc due friday`.',
      );
    }
    if (lines.length > MAX_LINES) {
      throw new UserInputError(`That is ${lines.length} lines; I create at most ${MAX_LINES} tasks at once.`);
    }
    const channelDefault = channelId ? await this.options.store.getChannelDefault(channelId) : undefined;
    const followers = await this.requesterAsFollower(requester);

    const prepared: Array<{ input: NewTask; requestRef: string; notices: string[] }> = [];
    for (const [index, line] of lines.entries()) {
      try {
        prepared.push(await this.prepareLine(line, requester, channelDefault, followers));
      } catch (error) {
        if (lines.length === 1 || !(error instanceof UserInputError)) throw error;
        throw new UserInputError(
          `Line ${index + 1} (“${truncate(slackToPlainText(line), 40)}”): ${error.message} Nothing was created.`,
          {
            cause: error,
          },
        );
      }
    }

    const tasks: Task[] = [];
    const notices = prepared.flatMap((p) => p.notices);
    for (const [index, { input, requestRef }] of prepared.entries()) {
      try {
        tasks.push(await this.create(input, requestRef, notices));
      } catch (error) {
        if (tasks.length === 0) throw error;
        // Some tasks exist already: say exactly which lines did not make it rather than failing them all.
        const why = logFailure(this.logger, error, 'create the rest', { line: index + 1 }).userMessage;
        notices.push(
          `Stopped at line ${index + 1}: ${why} Lines ${index + 1}–${prepared.length} were not created.`,
        );
        break;
      }
    }
    return { tasks, notices: [...new Set(notices)] };
  }

  private async prepareLine(
    line: string,
    requester: SlackProfile,
    channelDefault: ChannelDefault | undefined,
    followers: string[],
  ): Promise<{ input: NewTask; requestRef: string; notices: string[] }> {
    const timeZone = requester.timeZone;
    const now = this.now();
    const request = parseCreateText(line, { isDate: (s) => isDate(s, timeZone, now) });

    const names = await this.options.users.names(extractMentionedUserIds(line));
    const name = cleanName(slackToPlainText(request.name, { userNames: names }));
    if (!name) throw new UserInputError('Give the task a name, e.g. `/asana create Update onboarding doc`.');
    if (name.length > TASK_NAME_MAX) {
      throw new UserInputError(
        `That name is ${name.length} characters long; keep it under ${TASK_NAME_MAX} and put the details in a comment.`,
      );
    }

    const due = request.dueText
      ? parseDue(dateText(request.dueText, timeZone), { timeZone, now })
      : undefined;
    const startOn = request.startText
      ? startDate(dateText(request.startText, timeZone), due, timeZone, now)
      : undefined;
    const placement = request.projectText
      ? await this.resolvePlacement(
          slackToPlainText(request.projectText),
          request.sectionText && slackToPlainText(request.sectionText),
        )
      : undefined;

    const notices: string[] = [];
    let assignee: string | undefined;
    if (request.assigneeText) {
      const resolved = await this.resolveAssignee(request.assigneeText, requester);
      assignee = resolved.gid;
      if (resolved.notice) notices.push(resolved.notice);
    }

    const requestRef = newRequestRef();
    const input: NewTask = {
      name,
      notes: footer(`Created from Slack by ${requester.name}`, requestRef),
      dueOn: due?.kind === 'date' ? due.dueOn : undefined,
      dueAt: due?.kind === 'datetime' ? due.dueAt : undefined,
      startOn,
      assignee,
      followers,
      projectGid: placement?.project.gid ?? channelDefault?.projectGid,
      sectionGid: placement ? placement.section?.gid : channelDefault?.sectionGid,
      workspaceGid: this.options.workspaceGid,
    };
    return { input, requestRef, notices };
  }

  /** The message shortcut's modal, after validation. */
  async createFromMessage(input: MessageTaskInput): Promise<CreateResult> {
    const notices: string[] = [];
    let assignee: string | undefined;
    if (input.assigneeSlackId) {
      const resolved = await this.resolveAssignee(`<@${input.assigneeSlackId}>`, input.requester);
      assignee = resolved.gid;
      if (resolved.notice) notices.push(resolved.notice);
    }

    const origin = [
      input.permalink ? `From Slack: ${input.permalink}` : undefined,
      input.authorName
        ? `Message by ${input.authorName}, added by ${input.requester.name}`
        : `Added by ${input.requester.name}`,
    ]
      .filter(Boolean)
      .join('\n');
    const requestRef = newRequestRef();
    const notes = [cleanText(input.notes).trim(), footer(origin, requestRef)].filter(Boolean).join('\n\n');
    const htmlNotes = input.richNotes && appendPlainToHtml(input.richNotes, footer(origin, requestRef));

    const task = await this.create(
      {
        name: cleanName(input.name),
        notes,
        htmlNotes,
        dueOn: input.dueOn,
        assignee,
        followers: await this.requesterAsFollower(input.requester),
        projectGid: input.projectGid,
        sectionGid: input.sectionGid,
        workspaceGid: this.options.workspaceGid,
      },
      requestRef,
      notices,
    );
    return { task, notices };
  }

  /** Finds the one project (and section) a name means, or explains why there is not exactly one. */
  async resolvePlacement(
    projectText: string,
    sectionText?: string,
  ): Promise<{ project: Project; section?: Section }> {
    const projects = await this.options.directory.projects(this.options.workspaceGid);
    const project = pickOne(projects, projectText, 'project');
    if (!sectionText) return { project };
    const sections = await this.options.directory.sections(project.gid);
    return { project, section: pickOne(sections, sectionText, `section of ${project.name}`) };
  }

  /**
   * Creates one task, recovering from a stale cache: a section that is gone falls back to its project
   * (with a notice in `notices`); a project that is gone is evicted and the person is asked to pick again.
   */
  private async create(input: NewTask, requestRef: string, notices: string[] = []): Promise<Task> {
    try {
      const task = await this.options.tasks.createTask(input, requestRef);
      this.logger.info('task created', { taskGid: task.gid, projectGid: input.projectGid, requestRef });
      return task;
    } catch (error) {
      const gone = error instanceof AsanaNotFoundError || error instanceof AsanaForbiddenError;
      // Asana names the unknown id in its message ("memberships: Not a recognized ID: 123").
      const sectionGid = input.sectionGid;
      if (
        gone &&
        sectionGid &&
        error.asanaMessages.some((m) => m.includes(sectionGid) || /section/i.test(m))
      ) {
        this.options.directory.evictSections(input.projectGid ?? '');
        notices.push('The section is no longer in Asana, so the task went to the project without a section.');
        return this.create({ ...input, sectionGid: undefined }, requestRef, notices);
      }
      // Only when Asana blames the project: a 403 about the assignee must not hide a healthy project.
      const projectGid = input.projectGid;
      if (
        gone &&
        projectGid &&
        error.asanaMessages.some((m) => m.includes(projectGid) || /project/i.test(m))
      ) {
        this.options.directory.evictProject(projectGid);
        throw new UserInputError(
          'That project is no longer available in Asana (archived, deleted or private). Pick another project.',
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * `me` or a Slack mention -> the Asana user with the same email. When there is none the task is
   * created unassigned and the notice says why, rather than failing the whole create.
   */
  private async resolveAssignee(
    text: string,
    requester: SlackProfile,
  ): Promise<{ gid?: string; notice?: string }> {
    const trimmed = text.trim();
    const mentioned = extractMentionedUserIds(trimmed)[0];
    const slackUserId = /^me$/i.test(trimmed) ? requester.id : mentioned;
    if (!slackUserId) {
      throw new UserInputError(
        `I can't tell who “${slackToPlainText(trimmed)}” is. Mention them with @, e.g. \`for @Jane\`, or write \`for me\`.`,
      );
    }
    assertAssignable(await this.options.users.profile(slackUserId));
    const identity = await this.options.people.asanaIdentity(slackUserId);
    return identity.kind === 'mapped'
      ? { gid: identity.gid }
      : { notice: `${identity.reason}, so the task is unassigned.` };
  }

  /** The requester as a follower, so Asana keeps them posted; nobody when they have no Asana account. */
  private async requesterAsFollower(requester: SlackProfile): Promise<string[]> {
    try {
      const identity = await this.options.people.asanaIdentity(requester.id);
      return identity.kind === 'mapped' ? [identity.gid] : [];
    } catch (error) {
      this.logger.warn('could not map the requester to Asana', { reason: (error as Error).message });
      return [];
    }
  }
}

/** A date as typed, for parseDue: Slack's date tokens read by their timestamp, the rest decoded. */
function dateText(text: string, timeZone: string): string {
  return slackToPlainText(resolveDateTokens(text, timeZone));
}

/** Whether the text is meant as a date: a valid one, or one refused for a reason worth telling. */
function isDate(text: string, timeZone: string, now: Date): boolean {
  try {
    parseDue(dateText(text, timeZone), { timeZone, now });
    return true;
  } catch (error) {
    return !(error instanceof UnreadableDateError);
  }
}

/**
 * A start date, which Asana accepts only with a due date in the same request and never after it. The
 * grammar already refuses a start without a due; this checks the dates themselves.
 */
function startDate(text: string, due: DueDate | undefined, timeZone: string, now: Date): string {
  const start = parseDue(text, { timeZone, now });
  if (start.kind !== 'date')
    throw new UserInputError('A start is a day without a time, e.g. `start:2026-05-01`.');
  const dueDay =
    due?.kind === 'date'
      ? due.dueOn
      : due
        ? DateTime.fromISO(due.dueAt, { zone: timeZone }).toISODate()
        : undefined;
  if (dueDay && start.dueOn > dueDay) {
    throw new UserInputError(
      `The start (${start.dueOn}) is after the due date (${dueDay}). Swap them or drop the start.`,
    );
  }
  return start.dueOn;
}

/** Adds plain lines after rich text, inside its <body>, escaped for XML. */
function appendPlainToHtml(html: string, plain: string): string {
  return appendToBody(html, `\n\n${escapeXmlText(plain)}`);
}

/** The origin line plus the reference that lets a lost create be found again. */
function footer(origin: string, requestRef: string): string {
  return `${origin}\n(ref ${requestRef})`;
}

function pickOne<T extends { name: string }>(items: T[], query: string, what: string): T {
  const q = fold(query);
  const exact = items.filter((i) => fold(i.name) === q);
  if (exact.length === 1) return exact[0];
  const ranked = exact.length > 1 ? exact : rankByName(items, query);
  if (ranked.length === 1) return ranked[0];
  if (ranked.length === 0) {
    throw new UserInputError(
      `I couldn't find a ${what} called “${query}”. Check the name in Asana, or quote it exactly.`,
    );
  }
  const shown = ranked.slice(0, MAX_CANDIDATES_SHOWN).map((i) => `“${i.name}”`);
  const more =
    ranked.length > MAX_CANDIDATES_SHOWN ? ` and ${ranked.length - MAX_CANDIDATES_SHOWN} more` : '';
  throw new UserInputError(
    `“${query}” matches several: ${shown.join(', ')}${more}. Type more of the ${what} name.`,
  );
}
