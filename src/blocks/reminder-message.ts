import type { ActionsBlock, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { formatDueForSlack } from '../dates/parse-due';
import {
  OPEN_TASK_ACTION,
  REMINDER_ACTIONS_BLOCK_PREFIX,
  REMINDER_COMPLETE_ACTION,
  REMINDER_SNOOZE_ACTION,
  REMINDER_TASK_BLOCK_PREFIX,
} from '../ids';
import type { Task } from '../services/asana/types';
import { escapeSlackText } from '../text/slack-text';
import { truncate } from '../text/truncate';
import type { SlackMessage } from './task-message';
import { taskLink } from './task-message';

/**
 * Two blocks per task (its line and its buttons) plus at most six others keeps a reminder far below
 * Slack's 50 blocks, and short enough in total size that Slack never answers msg_blocks_too_long.
 */
export const MAX_TASKS_PER_REMINDER = 15;
/** Names are cut shorter than elsewhere: a reminder is a list to scan, not a card to read. */
const NAME_LIMIT = 80;

/** What the Snooze menu offers; the value of each option is `<choice>:<task gid>`. */
export type SnoozeChoice = '1h' | 'tomorrow' | 'push';
const SNOOZE_LABELS: Record<SnoozeChoice, string> = {
  '1h': 'For 1 hour',
  tomorrow: "Until tomorrow's reminder",
  push: 'Push due date 1 day',
};

export interface ReminderGroups {
  overdue: Task[];
  today: Task[];
  tomorrow: Task[];
}

export interface ReminderRenderOptions {
  timeZone: string;
  now: Date;
}

/** Splits the open tasks that matter today into overdue, due today and due tomorrow, each sorted by due. */
export function groupReminderTasks(tasks: Task[], options: ReminderRenderOptions): ReminderGroups {
  const now = DateTime.fromJSDate(options.now, { zone: options.timeZone });
  const today = now.toISODate() as string;
  const tomorrow = now.plus({ days: 1 }).toISODate() as string;
  const groups: ReminderGroups = { overdue: [], today: [], tomorrow: [] };
  for (const task of tasks) {
    if (task.completed) continue;
    if (task.dueAt) {
      const due = DateTime.fromISO(task.dueAt, { zone: options.timeZone });
      const day = due.toISODate();
      if (due.toMillis() < now.toMillis()) groups.overdue.push(task);
      else if (day === today) groups.today.push(task);
      else if (day === tomorrow) groups.tomorrow.push(task);
    } else if (task.dueOn) {
      if (task.dueOn < today) groups.overdue.push(task);
      else if (task.dueOn === today) groups.today.push(task);
      else if (task.dueOn === tomorrow) groups.tomorrow.push(task);
    }
  }
  for (const list of Object.values(groups)) list.sort(byDue);
  return groups;
}

/** The daily DM: a summary line, then each group's tasks with their buttons, then how to change it. */
export function dailyReminderMessage(args: {
  groups: ReminderGroups;
  options: ReminderRenderOptions;
  /** The person's reminder time, `HH:MM`, shown in the footer so they know why it came now. */
  reminderTime: string;
  /** A link to the person's whole task list, shown when not every task fits. */
  allTasksUrl?: string;
}): SlackMessage {
  const { groups, options } = args;
  const counts = [
    [groups.overdue.length, 'overdue'],
    [groups.today.length, 'due today'],
    [groups.tomorrow.length, 'due tomorrow'],
  ] as const;
  const summary = counts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
  const total = groups.overdue.length + groups.today.length + groups.tomorrow.length;

  const blocks: KnownBlock[] = [section(`:spiral_calendar_pad: *Your Asana tasks:* ${summary}`)];
  let room = MAX_TASKS_PER_REMINDER;
  const titled: Array<[string, Task[]]> = [
    ['*Overdue*', groups.overdue],
    ['*Due today*', groups.today],
    ['*Due tomorrow*', groups.tomorrow],
  ];
  for (const [title, tasks] of titled) {
    const shown = tasks.slice(0, room);
    if (shown.length === 0) continue;
    room -= shown.length;
    blocks.push(section(title));
    for (const task of shown) blocks.push(...reminderTaskBlocks(task, options));
  }
  if (total > MAX_TASKS_PER_REMINDER) {
    const all = args.allTasksUrl
      ? `<${args.allTasksUrl}|See all ${total} in Asana>, or type \`/asana mine\`.`
      : 'Type `/asana mine` to see them all.';
    blocks.push(context(`Showing ${MAX_TASKS_PER_REMINDER} of ${total} tasks. ${all}`));
  }
  blocks.push(
    context(
      `Daily at ${args.reminderTime} your time (${escapeSlackText(options.timeZone)}). ` +
        '`/asana remind` to change it or turn it off.',
    ),
  );
  return { text: `Asana: ${summary}`, blocks };
}

/** The reminder shortly before tasks with a due time are due. */
export function beforeDueMessage(tasks: Task[], options: ReminderRenderOptions): SlackMessage {
  const sorted = [...tasks].sort(byDue).slice(0, MAX_TASKS_PER_REMINDER);
  const first = sorted[0];
  const minutes = first?.dueAt
    ? Math.max(0, Math.round((Date.parse(first.dueAt) - options.now.getTime()) / 60_000))
    : 0;
  const when = minutes === 0 ? 'now' : `in ${formatMinutes(minutes)}`;
  const headline =
    sorted.length === 1 ? `:alarm_clock: *Due ${when}*` : `:alarm_clock: *${sorted.length} tasks due soon*`;
  const blocks: KnownBlock[] = [section(headline)];
  for (const task of sorted) blocks.push(...reminderTaskBlocks(task, options));
  blocks.push(context('`/asana remind before 15m` changes how early these come; `before off` stops them.'));
  const text =
    sorted.length === 1
      ? `Due ${when}: ${escapeSlackText(truncate(first.name, NAME_LIMIT))}`
      : `${sorted.length} Asana tasks due soon`;
  return { text, blocks };
}

/** The message a one-hour snooze schedules: the same task line and buttons as the reminder it came from. */
export function snoozedReminderMessage(task: Task, options: ReminderRenderOptions): SlackMessage {
  return {
    text: `Reminder: ${escapeSlackText(truncate(task.name, NAME_LIMIT))}`,
    blocks: [section(':alarm_clock: *Snoozed reminder*'), ...reminderTaskBlocks(task, options)],
  };
}

/** One task's line (link, when it is due, project) and its Complete / Snooze / Open controls. */
function reminderTaskBlocks(task: Task, options: ReminderRenderOptions): [SectionBlock, ActionsBlock] {
  const details = [dueLabel(task, options)];
  if (task.projects[0]) details.push(escapeSlackText(truncate(task.projects[0].name, NAME_LIMIT)));
  const line: SectionBlock = {
    type: 'section',
    block_id: `${REMINDER_TASK_BLOCK_PREFIX}${task.gid}`,
    text: { type: 'mrkdwn', text: `${taskLink(task, NAME_LIMIT)}\n${details.join(' · ')}` },
  };
  const controls: ActionsBlock = {
    type: 'actions',
    block_id: `${REMINDER_ACTIONS_BLOCK_PREFIX}${task.gid}`,
    elements: [
      {
        type: 'button',
        action_id: REMINDER_COMPLETE_ACTION,
        text: { type: 'plain_text', text: 'Complete' },
        style: 'primary',
        value: task.gid,
      },
      {
        type: 'static_select',
        action_id: REMINDER_SNOOZE_ACTION,
        placeholder: { type: 'plain_text', text: 'Snooze' },
        options: (Object.keys(SNOOZE_LABELS) as SnoozeChoice[]).map((choice) => ({
          text: { type: 'plain_text', text: SNOOZE_LABELS[choice] },
          value: `${choice}:${task.gid}`,
        })),
      },
      {
        type: 'button',
        action_id: OPEN_TASK_ACTION,
        text: { type: 'plain_text', text: 'Open' },
        url: task.permalinkUrl,
      },
    ],
  };
  return [line, controls];
}

/** Reads a Snooze option's value back; undefined for anything this code did not write. */
export function parseSnoozeValue(
  value: string | undefined,
): { choice: SnoozeChoice; taskGid: string } | undefined {
  const match = /^(1h|tomorrow|push):(\d+)$/.exec(value ?? '');
  return match ? { choice: match[1] as SnoozeChoice, taskGid: match[2] } : undefined;
}

/**
 * A reminder with one task's controls replaced by what happened to it (completed, snoozed), and its
 * line redrawn when the task changed. Other tasks' blocks are left exactly as they were.
 */
export function withTaskOutcome(
  blocks: KnownBlock[],
  taskGid: string,
  outcome: { status?: string; task?: Task; options?: ReminderRenderOptions },
): KnownBlock[] {
  return blocks.map((block) => {
    if (block.block_id === `${REMINDER_TASK_BLOCK_PREFIX}${taskGid}` && outcome.task && outcome.options) {
      return reminderTaskBlocks(outcome.task, outcome.options)[0];
    }
    if (block.block_id === `${REMINDER_ACTIONS_BLOCK_PREFIX}${taskGid}` && outcome.status) {
      const done: ContextBlock = {
        type: 'context',
        block_id: block.block_id,
        elements: [{ type: 'mrkdwn', text: outcome.status }],
      };
      return done;
    }
    return block;
  });
}

/** "due today at 3:00 PM", "due tomorrow", "overdue since Mon, Mar 2": read against the person's today. */
export function dueLabel(task: Task, options: ReminderRenderOptions): string {
  const now = DateTime.fromJSDate(options.now, { zone: options.timeZone });
  const today = now.toISODate();
  const tomorrow = now.plus({ days: 1 }).toISODate();
  const yesterday = now.minus({ days: 1 }).toISODate();
  if (task.dueAt) {
    const due = DateTime.fromISO(task.dueAt, { zone: options.timeZone }).setLocale('en-US');
    const time = due.toFormat('h:mm a');
    const day = due.toISODate();
    const overdue = due.toMillis() < now.toMillis();
    if (day === today) return overdue ? `was due today at ${time}` : `due today at ${time}`;
    if (day === tomorrow) return `due tomorrow at ${time}`;
    if (day === yesterday) return `was due yesterday at ${time}`;
    const label = formatDueForSlack({ kind: 'datetime', dueAt: task.dueAt }, options.timeZone, options.now);
    return overdue ? `overdue since ${label}` : `due ${label}`;
  }
  if (task.dueOn) {
    if (task.dueOn === today) return 'due today';
    if (task.dueOn === tomorrow) return 'due tomorrow';
    if (task.dueOn === yesterday) return 'was due yesterday';
    const label = formatDueForSlack({ kind: 'date', dueOn: task.dueOn }, options.timeZone, options.now);
    return task.dueOn < (today ?? '') ? `overdue since ${label}` : `due ${label}`;
  }
  return 'no due date';
}

/** "30 min", "1 h", "1 h 30 min". */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Earliest due first; a date-only task counts as due at the start of its day; ties by name. */
function byDue(a: Task, b: Task): number {
  const key = (t: Task) => t.dueAt ?? `${t.dueOn ?? '9999-12-31'}T00:00:00`;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : a.name.localeCompare(b.name);
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
