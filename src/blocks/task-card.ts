import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import {
  ASSIGN_TO_ME_ACTION,
  COMPLETE_TASK_ACTION,
  MORE_TASKS_ACTION,
  OPEN_TASK_ACTION,
  REOPEN_TASK_ACTION,
  SET_DUE_DATE_ACTION,
  SHARE_RESULT_ACTION,
} from '../ids';
import type { Task } from '../services/asana/types';
import { asanaToSlackMrkdwn } from '../text/asana-to-slack';
import { escapeWithin } from '../text/escape-within';
import { truncate } from '../text/truncate';
import { type SlackMessage, taskDetails, taskLink } from './task-message';

/** Slack allows 50 blocks a message; two per task plus a header and a footer leaves room for 20. */
export const TASKS_PER_PAGE = 10;
/** How much of a task's description a card shows. */
const NOTES_EXCERPT = 400;

/**
 * What a button must know to redraw the message it sits in after it acts: which task, and which view
 * the message is (one card, a page of "mine", or search results). Kept in the button's value.
 */
/**
 * The longest search text a button can carry (block ids hold 255 characters). `find` searches with the
 * same cut text, so page two of the results is the same search as page one.
 */
export const QUERY_MAX = 120;

export interface CardContext {
  /** The task the button acts on. */
  t: string;
  /** card: one task; mine: page `p` of my tasks; find: results for `q`. */
  v: 'card' | 'mine' | 'find';
  p?: number;
  q?: string;
}

/** Slack caps a button's value at 2,000 characters; a long search text is cut, never the gid. */
export function encodeContext(context: CardContext): string {
  if (!context.q) return JSON.stringify(context);
  // JSON escaping can lengthen the text (quotes, backslashes); cut until the whole fits a block id.
  let limit = QUERY_MAX;
  for (;;) {
    const encoded = JSON.stringify({ ...context, q: truncate(context.q, limit, '') });
    if (encoded.length <= ENCODED_MAX || limit <= 1) return encoded;
    limit -= Math.max(1, encoded.length - ENCODED_MAX);
  }
}

/** A block id holds 255 characters; the actions block's id is `ta` plus the encoded context. */
const ENCODED_MAX = 253;

/** A context read back from Slack, checked field by field: a value is only as trustworthy as its sender. */
export function decodeContext(value: string | undefined): CardContext | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
  const { t, v, p, q } = parsed ?? {};
  if (typeof t !== 'string' || !/^\d{1,20}$/.test(t)) return undefined;
  if (v !== 'card' && v !== 'mine' && v !== 'find') return undefined;
  if (p !== undefined && !(Number.isInteger(p) && (p as number) >= 0 && (p as number) < 1000))
    return undefined;
  if (q !== undefined && typeof q !== 'string') return undefined;
  return { t, v, ...(p !== undefined ? { p: p as number } : {}), ...(q !== undefined ? { q } : {}) };
}

export interface CardOptions {
  timeZone: string;
  now: Date;
  /** The view this card is part of, for the buttons' values. */
  context: Omit<CardContext, 't'>;
  /** Show the start of the description (single-task views). */
  withNotes?: boolean;
}

/**
 * The start of a task's description in mrkdwn: its rich text converted when that fits the excerpt
 * whole (a cut could split a link), else the plain notes cut and escaped.
 */
function notesExcerpt(task: Task): string {
  const rich = task.htmlNotes ? asanaToSlackMrkdwn(task.htmlNotes, task.notes).trim() : '';
  return rich && rich.length <= NOTES_EXCERPT ? rich : escapeWithin(task.notes.trim(), NOTES_EXCERPT);
}

function quoted(text: string): string {
  return `>${text.replace(/\n/g, '\n>')}`;
}

/** Block ids carry the gid so one task's blocks can be found and replaced inside a list. */
function taskBlockId(taskGid: string): string {
  return `task:${taskGid}`;
}

/**
 * The actions block's id carries the whole context, because a datepicker (unlike a button) has no value
 * of ours to carry it. Block ids may be 255 characters; the search text in it is cut to fit.
 */
function taskActionsBlockId(context: CardContext): string {
  return `ta${encodeContext(context)}`;
}

export function contextFromBlockId(blockId: string | undefined): CardContext | undefined {
  return blockId?.startsWith('ta') ? decodeContext(blockId.slice(2)) : undefined;
}

/** Whether the task's due day is before today where the person is. */
function isOverdue(task: Task, timeZone: string, now: Date): boolean {
  if (task.completed) return false;
  if (task.dueAt) return Date.parse(task.dueAt) < now.getTime();
  if (!task.dueOn) return false;
  const today = DateTime.fromJSDate(now, { zone: timeZone }).toISODate();
  return !!today && task.dueOn < today;
}

/** One task: what it is, where, whose, when; and buttons to act on it. */
function taskCardBlocks(task: Task, options: CardOptions): KnownBlock[] {
  const state = task.completed
    ? ':white_check_mark: '
    : isOverdue(task, options.timeZone, options.now)
      ? ':warning: *Overdue* · '
      : '';
  let text = `${state}${taskLink(task)}\n${taskDetails(task, options.timeZone, options.now)}`;
  if (options.withNotes && task.notes.trim()) text += `\n${quoted(notesExcerpt(task))}`;
  const value = encodeContext({ t: task.gid, ...options.context });
  const buttons: ActionsBlock['elements'] = [
    task.completed
      ? button(REOPEN_TASK_ACTION, 'Reopen', value)
      : { ...button(COMPLETE_TASK_ACTION, 'Complete', value), style: 'primary' },
    button(ASSIGN_TO_ME_ACTION, 'Assign to me', value),
    {
      type: 'datepicker',
      action_id: SET_DUE_DATE_ACTION,
      placeholder: { type: 'plain_text', text: 'Due date' },
      ...(task.dueOn ? { initial_date: task.dueOn } : {}),
    },
    {
      type: 'button',
      action_id: OPEN_TASK_ACTION,
      text: { type: 'plain_text', text: 'Open in Asana' },
      url: task.permalinkUrl,
    },
  ];
  return [
    {
      type: 'section',
      block_id: taskBlockId(task.gid),
      text: { type: 'mrkdwn', text: truncate(text, 3000) },
    },
    { type: 'actions', block_id: taskActionsBlockId({ t: task.gid, ...options.context }), elements: buttons },
  ];
}

/** A single-task reply: an optional line on what just happened, the card, and a Share button. */
export function taskCardMessage(
  task: Task,
  options: Omit<CardOptions, 'context'> & { headline?: string; shareable?: boolean; sharedBy?: string },
): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (options.headline)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(options.headline, 3000) } });
  blocks.push(
    ...taskCardBlocks(task, { ...options, context: { v: 'card' }, withNotes: options.withNotes ?? true }),
  );
  if (options.sharedBy) blocks.push(context(`Shared by ${options.sharedBy}`));
  if (options.shareable) blocks.push(shareBlock(encodeContext({ t: task.gid, v: 'card' })));
  // The notification text escapes the name like the blocks do: an Asana name must not ping anyone.
  const text = `${options.headline ? `${options.headline} ` : ''}${escapeWithin(task.name, 200)}: ${task.permalinkUrl}`;
  return { text: truncate(text, 3000), blocks };
}

/** A page of tasks with a "More" button when there are more, never past Slack's 50 blocks. */
export function taskListMessage(
  tasks: Task[],
  options: Omit<CardOptions, 'context'> & {
    title: string;
    context: Omit<CardContext, 't' | 'p'>;
    page: number;
    /** Tasks in all, to say "11–20 of 34". */
    total: number;
    notice?: string;
    shareable?: boolean;
    sharedBy?: string;
    empty: string;
  },
): SlackMessage {
  const start = options.page * TASKS_PER_PAGE;
  const shown = tasks.slice(start, start + TASKS_PER_PAGE);
  const range = shown.length ? ` (${start + 1}–${start + shown.length} of ${options.total})` : '';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`*${options.title}*${range}`, 3000) } },
  ];
  if (options.notice) blocks.push(context(options.notice));
  if (shown.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: options.empty } });
  for (const task of shown) {
    blocks.push(...taskCardBlocks(task, { ...options, context: { ...options.context, p: options.page } }));
  }
  const footer: Button[] = [];
  if (start + TASKS_PER_PAGE < options.total) {
    footer.push(
      button(MORE_TASKS_ACTION, 'More', encodeContext({ t: '0', ...options.context, p: options.page + 1 })),
    );
  }
  if (options.shareable)
    footer.push(
      button(
        SHARE_RESULT_ACTION,
        'Share in channel',
        encodeContext({ t: '0', ...options.context, p: options.page }),
      ),
    );
  if (options.sharedBy) blocks.push(context(`Shared by ${options.sharedBy}`));
  if (footer.length) blocks.push({ type: 'actions', block_id: 'list_footer', elements: footer });
  const lines = shown.map((t) => `• ${escapeWithin(t.name, 150)}`).join('\n');
  return { text: truncate(`${options.title}${range}\n${lines}`, 3000), blocks };
}

function button(actionId: string, text: string, value: string): Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3000) }] };
}

function shareBlock(value: string): KnownBlock {
  return {
    type: 'actions',
    block_id: 'share',
    elements: [button(SHARE_RESULT_ACTION, 'Share in channel', value)],
  };
}
