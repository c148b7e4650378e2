import type { KnownBlock } from '@slack/types';
import { formatDueForSlack } from '../dates/parse-due';
import type { Task } from '../services/asana/types';
import { escapeSlackText } from '../text/slack-text';
import { escapeWithin } from '../text/escape-within';
import { linesWithin } from './lines-within';
import { truncate } from '../text/truncate';
import { OPEN_TASK_ACTION } from '../ids';

/** Slack's cap on a section's text; the name is cut well before it so the line with the link fits. */
const NAME_LIMIT = 200;
/** Project, section and assignee names in a details line; together they stay far below Slack's 3,000. */
const DETAIL_LIMIT = 150;

export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

/** One line naming a task as a link, safe to show: no markup from the name can ping or format. */
export function taskLink(task: Task, maxName = NAME_LIMIT): string {
  // Inside <url|label>, only & < > need escaping; '|' would end the URL part, so the label cannot hold it.
  const label = escapeWithin(task.name, maxName).replace(/\|/g, '∣');
  return `<${task.permalinkUrl}|${label}>`;
}

/** Project, section, assignee and due date of a task, in one short line. */
export function taskDetails(task: Task, timeZone: string, now: Date = new Date()): string {
  const parts: string[] = [];
  const project = task.projects[0];
  if (project) {
    const section = task.sections[0];
    parts.push(
      `in *${escapeWithin(project.name, DETAIL_LIMIT)}*${section ? ` › ${escapeWithin(section.name, DETAIL_LIMIT)}` : ''}`,
    );
  } else {
    parts.push('in My Tasks (no project)');
  }
  parts.push(task.assignee ? `for ${escapeWithin(task.assignee.name, DETAIL_LIMIT)}` : 'unassigned');
  if (task.dueOn) parts.push(`due ${formatDueForSlack({ kind: 'date', dueOn: task.dueOn }, timeZone, now)}`);
  else if (task.dueAt)
    parts.push(`due ${formatDueForSlack({ kind: 'datetime', dueAt: task.dueAt }, timeZone, now)}`);
  return parts.join(' · ');
}

/** The reply after a task is created: what, where, and a link. */
export function taskCreatedMessage(
  task: Task,
  options: { timeZone: string; notices?: string[] },
): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:white_check_mark: Created ${taskLink(task)}\n${taskDetails(task, options.timeZone)}`,
      },
      accessory: {
        type: 'button',
        action_id: OPEN_TASK_ACTION,
        text: { type: 'plain_text', text: 'Open in Asana' },
        url: task.permalinkUrl,
      },
    },
  ];
  for (const notice of options.notices ?? []) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:information_source: ${escapeWithin(notice, 2900)}` }],
    });
  }
  const projectName = task.projects[0]?.name;
  const text = `Created Asana task “${truncate(task.name, NAME_LIMIT)}”${projectName ? ` in ${projectName}` : ''}: ${task.permalinkUrl}`;
  return { text: escapeSlackText(text), blocks };
}

/** The reply after several tasks were created from one command: one linked line each. */
export function tasksCreatedMessage(tasks: Task[], options: { notices?: string[] }): SlackMessage {
  const lines = tasks.map(
    (task) =>
      `• ${taskLink(task, 60)}${task.projects[0] ? ` in ${escapeWithin(task.projects[0].name, 60)}` : ''}`,
  );
  const body = linesWithin(
    [`:white_check_mark: Created ${tasks.length} tasks:`, ...lines],
    3000,
    (left) => `…and ${left} more`,
  );
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: body } }];
  for (const notice of options.notices ?? []) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:information_source: ${escapeWithin(notice, 2900)}` }],
    });
  }
  const text = `Created ${tasks.length} Asana tasks: ${tasks.map((t) => escapeSlackText(truncate(t.name, 80))).join(', ')}`;
  return { text: truncate(text, 3000), blocks };
}

/** A short private message: an error, a refusal or a hint. Plain text, escaped, nothing pings. */
export function noticeMessage(text: string): SlackMessage {
  const safe = escapeWithin(text, 2900);
  return { text: safe, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: safe } }] };
}
