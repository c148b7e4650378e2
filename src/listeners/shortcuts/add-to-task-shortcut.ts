import type { MessageShortcut } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'winston';
import {
  AddToTaskMetadata,
  METADATA_MAX,
  addToTaskModal,
  addToTaskStatusView,
  encodeAddToTaskMetadata,
  messagePreview,
} from '../../blocks/add-to-task-modal';
import { noticeMessage } from '../../blocks/task-message';
import { logFailure } from '../../services/error-reporting';
import { fileNames, messageText } from '../../text/message-text';
import { escapeSlackText, extractMentionedUserIds, slackToPlainText } from '../../text/slack-text';
import { truncate } from '../../text/truncate';
import type { ListenerDeps } from '../index';
import { type AuthoredMessage, messageAuthor } from './message-source';
import { onMessageShortcut } from './message-shortcut';

/**
 * The task a message was last added to is preselected only if Asana names it this soon after the modal
 * opened; later, the person may already be picking, and replacing the view under them would be rude.
 */
const PRESELECT_BUDGET_MS = 2_000;
/** File names only label the comment; a message with dozens of files must not crowd out its text. */
const MAX_FILE_NAMES = 10;
const FILE_NAME_MAX = 100;

/** "Add to Asana task" on a message: opens the task picker at once, before any Asana call. */
export function addToTaskShortcut(deps: ListenerDeps) {
  return onMessageShortcut(deps, async ({ action, teamId, client, respond, logger }) => {
    const raw = messageText(action.message);
    // Names already in memory only: a users.info round trip here would eat into the trigger's 3 s.
    const known = new Map<string, string>();
    for (const id of extractMentionedUserIds(raw)) {
      const name = deps.users.peek(id)?.name;
      if (name) known.set(id, name);
    }
    const metadata = buildMetadata(action, raw, known, (text) =>
      deps.drafts.put({ raw: text, plain: slackToPlainText(text, { userNames: known }) }),
    );

    let opened: { id?: string; hash?: string } | undefined;
    try {
      opened = (
        await client.views.open({ trigger_id: action.trigger_id, view: addToTaskModal({ metadata }) })
      ).view;
    } catch (error) {
      deps.drafts.delete(metadata.draftId);
      logFailure(logger, error, 'open the add-to-task form');
      await respond({
        response_type: 'ephemeral',
        ...noticeMessage(
          'Slack closed the window for that form before it could open. Please try the shortcut again.',
        ),
      }).catch(() => undefined);
      return;
    }
    const viewId = opened?.id;
    if (!viewId) return;

    // Checked after the modal is open (the trigger cannot wait); a refused person sees why in the modal.
    try {
      await deps.access.authorize({ teamId, userId: action.user.id });
    } catch (error) {
      const report = logFailure(logger, error, 'add a message to a task');
      deps.drafts.delete(metadata.draftId);
      await updateView(
        client,
        viewId,
        opened?.hash,
        addToTaskStatusView(escapeSlackText(report.userMessage)),
        logger,
      );
      return;
    }

    await preselectLinkedTask(deps, client, { viewId, hash: opened?.hash, metadata, logger });
  });
}

/** What the submission needs; the text rides along in the view when it fits, else in the draft store. */
function buildMetadata(
  action: MessageShortcut,
  raw: string,
  userNames: Map<string, string>,
  keep: (text: string) => string,
): AddToTaskMetadata {
  const message = action.message as AuthoredMessage;
  const files = fileNames(action.message)
    .slice(0, MAX_FILE_NAMES)
    .map((name) => truncate(name, FILE_NAME_MAX));
  const base: AddToTaskMetadata = {
    channelId: action.channel.id,
    messageTs: message.ts,
    threadTs: message.thread_ts ?? message.ts,
    ...messageAuthor(message),
    ...(files.length > 0 ? { fileNames: files } : {}),
  };
  const preview = messagePreview(raw, userNames, files);
  if (preview) base.preview = preview;
  const inline = { ...base, text: raw };
  return encodeAddToTaskMetadata(inline).length <= METADATA_MAX ? inline : { ...base, draftId: keep(raw) };
}

/**
 * When the message was added to tasks before, the latest of them is chosen for the person: adding a
 * follow-up to the same task is the common case. Best effort; the form works the same without it.
 */
async function preselectLinkedTask(
  deps: ListenerDeps,
  client: WebClient,
  args: {
    viewId: string;
    hash: string | undefined;
    metadata: AddToTaskMetadata;
    logger: Logger;
  },
): Promise<void> {
  const { metadata } = args;
  const startedAt = Date.now();
  try {
    const links = await deps.store.tasksForMessage(metadata.channelId, metadata.messageTs);
    const latest = links[links.length - 1];
    if (!latest) return;
    const task = await deps.tasks.getTask(latest.taskGid);
    if (Date.now() - startedAt > PRESELECT_BUDGET_MS) return;
    // The hash makes Slack refuse this update if the view changed meanwhile (e.g. it was submitted).
    await updateView(
      client,
      args.viewId,
      args.hash,
      addToTaskModal({ metadata, initialTask: task }),
      args.logger,
    );
  } catch (error) {
    // A linked task that was deleted since is simply not offered.
    args.logger.info('no task preselected', { reason: (error as Error).message });
  }
}

async function updateView(
  client: WebClient,
  viewId: string,
  hash: string | undefined,
  view: ReturnType<typeof addToTaskStatusView>,
  logger: Logger,
): Promise<void> {
  await client.views
    .update({ view_id: viewId, ...(hash ? { hash } : {}), view })
    .catch((e) => logger.warn('could not update the add-to-task form', { reason: (e as Error).message }));
}
