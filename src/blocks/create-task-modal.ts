import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import {
  ASSIGNEE_BLOCK,
  ASSIGNEE_SELECT_ACTION,
  CREATE_TASK_MODAL,
  DUE_BLOCK,
  DUE_DATE_ACTION,
  NOTES_BLOCK,
  NOTES_INPUT_ACTION,
  PROJECT_BLOCK,
  PROJECT_SELECT_ACTION,
  TASK_NAME_BLOCK,
  TASK_NAME_ACTION,
} from '../ids';
import { TASK_NAME_MAX } from '../services/asana/types';
import { truncate } from '../text/truncate';
import { bannerBlock, statusView, threadReplyInput } from './modal-parts';

/** Slack's cap on a plain_text_input's value and max_length. */
export const INPUT_MAX = 3000;
/** The name input's limit: the bridge's task-name limit. */
export const NAME_MAX = TASK_NAME_MAX;
const OPTION_TEXT_MAX = 75;

/** What the modal carries from the shortcut to the submission, in private_metadata. */
export interface CreateTaskModalMetadata {
  channelId: string;
  messageTs: string;
  /** Parent of the thread the message is in, or its own ts; replies go there. */
  threadTs: string;
  /** Key of the full message text kept server-side when it is longer than the notes input allows. */
  draftId?: string;
  /** Who wrote the message: a Slack user id, or the name of the app that posted it. */
  authorUserId?: string;
  authorName?: string;
}

export interface CreateTaskModalOptions {
  name: string;
  notes: string;
  /** Length of the whole message when `notes` had to be cut to fit the input. */
  fullNotesLength?: number;
  metadata: CreateTaskModalMetadata;
  defaultProject?: { gid: string; name: string };
  /** A line shown above the form, e.g. why the last submission failed. */
  banner?: string;
  /** Values to keep when the form is shown again after a failed submission. */
  assigneeSlackId?: string;
  dueOn?: string;
  threadReply?: boolean;
}

/** The notes prefill: the message cut to what the input holds. */
export function truncateForInput(text: string): string {
  return truncate(text, INPUT_MAX);
}

function encodeMetadata(metadata: CreateTaskModalMetadata): string {
  return JSON.stringify(metadata);
}

export function decodeMetadata(raw: string | undefined): CreateTaskModalMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '');
    return typeof parsed?.channelId === 'string' && typeof parsed?.messageTs === 'string'
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** An option for a project picker; text within Slack's 75 characters, value the project gid. */
export function projectOption(project: { gid: string; name: string }): PlainTextOption {
  return {
    text: { type: 'plain_text', text: truncate(project.name || project.gid, OPTION_TEXT_MAX) },
    value: project.gid,
  };
}

/** The "Create Asana task" modal: every field an input block, so errors can be shown on the right one. */
export function createTaskModal(options: CreateTaskModalOptions): ModalView {
  const blocks: KnownBlock[] = [];
  if (options.banner) blocks.push(bannerBlock(options.banner));
  blocks.push(
    {
      type: 'input',
      block_id: TASK_NAME_BLOCK,
      label: { type: 'plain_text', text: 'Task name' },
      element: {
        type: 'plain_text_input',
        action_id: TASK_NAME_ACTION,
        initial_value: truncate(options.name, NAME_MAX),
        max_length: NAME_MAX,
      },
    },
    {
      type: 'input',
      block_id: NOTES_BLOCK,
      optional: true,
      label: { type: 'plain_text', text: 'Description' },
      ...(options.fullNotesLength
        ? {
            hint: {
              type: 'plain_text' as const,
              text: `The message has ${options.fullNotesLength} characters; the whole of it goes into the task if you leave this unchanged.`,
            },
          }
        : {}),
      element: {
        type: 'plain_text_input',
        action_id: NOTES_INPUT_ACTION,
        multiline: true,
        max_length: INPUT_MAX,
        ...(options.notes ? { initial_value: truncateForInput(options.notes) } : {}),
      },
    },
    {
      type: 'input',
      block_id: PROJECT_BLOCK,
      optional: true,
      label: { type: 'plain_text', text: 'Project' },
      hint: { type: 'plain_text', text: 'Leave empty for a task without a project.' },
      element: {
        type: 'external_select',
        action_id: PROJECT_SELECT_ACTION,
        placeholder: { type: 'plain_text', text: 'Type to search projects' },
        min_query_length: 0,
        ...(options.defaultProject ? { initial_option: projectOption(options.defaultProject) } : {}),
      },
    },
    {
      type: 'input',
      block_id: ASSIGNEE_BLOCK,
      optional: true,
      label: { type: 'plain_text', text: 'Assignee' },
      element: {
        type: 'users_select',
        action_id: ASSIGNEE_SELECT_ACTION,
        placeholder: { type: 'plain_text', text: 'Nobody' },
        ...(options.assigneeSlackId ? { initial_user: options.assigneeSlackId } : {}),
      },
    },
    {
      type: 'input',
      block_id: DUE_BLOCK,
      optional: true,
      label: { type: 'plain_text', text: 'Due date' },
      element: {
        type: 'datepicker',
        action_id: DUE_DATE_ACTION,
        ...(options.dueOn ? { initial_date: options.dueOn } : {}),
      },
    },
    threadReplyInput(options.threadReply),
  );

  return {
    type: 'modal',
    callback_id: CREATE_TASK_MODAL,
    title: { type: 'plain_text', text: 'Create Asana task' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeMetadata(options.metadata),
    blocks,
  };
}

/** A modal with one message and a Close button: "Creating…", then the result. */
export function modalStatusView(text: string): ModalView {
  return statusView(CREATE_TASK_MODAL, 'Create Asana task', text);
}
