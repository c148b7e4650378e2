import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { ADD_TO_TASK_BLOCK, ADD_TO_TASK_MODAL, ADD_TO_TASK_SELECT_ACTION } from '../ids';
import type { Task } from '../services/asana/types';
import { slackToPlainText } from '../text/slack-text';
import { truncate } from '../text/truncate';
import { bannerBlock, statusView, threadReplyInput } from './modal-parts';

/** Slack's cap on an option's text. */
const OPTION_TEXT_MAX = 75;
/** A project name beside the task's name tells apart the many "Weekly sync" tasks; the name gets the rest. */
const OPTION_PROJECT_MAX = 24;
/** Slack's cap on private_metadata; what does not fit is kept server-side. */
export const METADATA_MAX = 3000;
/** Enough of the message to recognise it; the whole text goes to Asana. */
const PREVIEW_MAX = 280;
const TITLE = 'Add to Asana task';

/** What the modal carries from the shortcut to the submission, in private_metadata. */
export interface AddToTaskMetadata {
  channelId: string;
  messageTs: string;
  /** Parent of the thread the message is in, or its own ts; the reply goes there. */
  threadTs: string;
  /** The message's text in Slack's wire form, when it fits here… */
  text?: string;
  /** …else the key of the copy kept in the draft store. */
  draftId?: string;
  /** Who wrote the message: a Slack user id, or the name of the app that posted it. */
  authorUserId?: string;
  authorName?: string;
  fileNames?: string[];
  /** A short plain-text excerpt of the message, shown so the person knows what is being added. */
  preview?: string;
}

export interface AddToTaskModalOptions {
  metadata: AddToTaskMetadata;
  /** Preselected task, e.g. the one this message was last added to. */
  initialTask?: Task;
  /** A line shown above the form, e.g. why the last submission failed. */
  banner?: string;
  /** Kept when the form is shown again after a failed submission. */
  threadReply?: boolean;
}

export function encodeAddToTaskMetadata(metadata: AddToTaskMetadata): string {
  return JSON.stringify(metadata);
}

export function decodeAddToTaskMetadata(raw: string | undefined): AddToTaskMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '');
    const valid =
      typeof parsed?.channelId === 'string' &&
      typeof parsed?.messageTs === 'string' &&
      typeof parsed?.threadTs === 'string' &&
      (typeof parsed?.text === 'string' || typeof parsed?.draftId === 'string');
    return valid ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** What the modal shows of the message: its text as read in Slack, or its file names when it has none. */
export function messagePreview(
  raw: string,
  userNames: Map<string, string>,
  fileNames: string[] = [],
): string | undefined {
  return (
    truncate(slackToPlainText(raw, { userNames }).trim(), PREVIEW_MAX) || fileNames.join(', ') || undefined
  );
}

/**
 * A task as a picker option: its name (with its first project, when it has one) within Slack's 75
 * characters, cut on a grapheme boundary; the value is the task gid.
 */
export function taskOption(task: Task): PlainTextOption {
  const name = task.name.trim() || 'Untitled task';
  const mark = task.completed ? '✓ ' : '';
  const project = task.projects[0]?.name.trim();
  const suffix = project ? ` · ${truncate(project, OPTION_PROJECT_MAX)}` : '';
  const text = `${mark}${truncate(name, OPTION_TEXT_MAX - mark.length - suffix.length)}${suffix}`;
  return { text: { type: 'plain_text', text: truncate(text, OPTION_TEXT_MAX) }, value: task.gid };
}

/** The "Add to Asana task" modal: a task picker and the thread-reply choice, both inputs so errors show. */
export function addToTaskModal(options: AddToTaskModalOptions): ModalView {
  const blocks: KnownBlock[] = [];
  if (options.banner) blocks.push(bannerBlock(options.banner));
  const preview = options.metadata.preview;
  if (preview) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'plain_text', text: truncate(preview, PREVIEW_MAX) }],
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: ADD_TO_TASK_BLOCK,
      label: { type: 'plain_text', text: 'Task' },
      hint: { type: 'plain_text', text: 'The message is added to the task as a comment, with a link back.' },
      element: {
        type: 'external_select',
        action_id: ADD_TO_TASK_SELECT_ACTION,
        placeholder: { type: 'plain_text', text: 'Type part of the task name' },
        // Asana's typeahead answers from one letter; waiting for three makes short names hard to find.
        min_query_length: 1,
        ...(options.initialTask ? { initial_option: taskOption(options.initialTask) } : {}),
      },
    },
    threadReplyInput(options.threadReply),
  );

  return {
    type: 'modal',
    callback_id: ADD_TO_TASK_MODAL,
    title: { type: 'plain_text', text: TITLE },
    submit: { type: 'plain_text', text: 'Add' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeAddToTaskMetadata(options.metadata),
    blocks,
  };
}

/** A modal with one message and a Close button: "Adding…", a refusal, or the result. */
export function addToTaskStatusView(text: string): ModalView {
  return statusView(ADD_TO_TASK_MODAL, TITLE, text);
}
