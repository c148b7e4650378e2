import { INPUT_MAX, createTaskModal, modalStatusView } from '../../blocks/create-task-modal';
import { noticeMessage } from '../../blocks/task-message';
import { logFailure } from '../../services/error-reporting';
import { fileNames, messageText } from '../../text/message-text';
import { escapeSlackText, extractMentionedUserIds, slackToPlainText } from '../../text/slack-text';
import { firstLine } from '../../text/truncate';
import type { ListenerDeps } from '../index';
import { withinBudget } from '../within-budget';
import { type AuthoredMessage, messageAuthor } from './message-source';
import { onMessageShortcut } from './message-shortcut';

/**
 * Mentions in the message are shown by name in the form, which costs a users.info call each; the
 * trigger_id dies 3 s after the click, so names that are not back by then fall back to their labels.
 */
const NAME_LOOKUP_BUDGET_MS = 700;

/** "Create Asana task" on a message: opens the modal at once, before any Asana call. */
export function createTaskShortcut(deps: ListenerDeps) {
  return onMessageShortcut(deps, async ({ action, teamId, client, respond, logger }) => {
    const raw = messageText(action.message);
    // Names and the access check share the budget; the check decides whether the modal may show the
    // channel's default project (a project name is company data) before the full refusal below.
    const [userNames, allowed] = await Promise.all([
      withinBudget(deps.users.names(extractMentionedUserIds(raw)), NAME_LOOKUP_BUDGET_MS),
      withinBudget(
        deps.access.authorize({ teamId, userId: action.user.id }).then(
          () => true,
          () => false,
        ),
        NAME_LOOKUP_BUDGET_MS,
      ),
    ]);
    const notes = slackToPlainText(raw, { userNames });
    const files = fileNames(action.message);
    const name =
      firstLine(notes) ||
      (files.length
        ? `Follow up on ${files.join(', ')}`
        : `Follow up on a message in #${action.channel.name}`);

    const long = notes.length > INPUT_MAX;
    const draftId = deps.drafts.put({ raw, plain: notes });
    // A local read; the channel's default project is preselected so most people just press Create.
    const channelDefault = allowed
      ? await deps.store.getChannelDefault(action.channel.id).catch((error) => {
          logger.warn('could not read the channel default', { reason: (error as Error).message });
          return undefined;
        })
      : undefined;
    const messageTs = action.message.ts;
    const view = createTaskModal({
      name,
      notes,
      fullNotesLength: long ? notes.length : undefined,
      metadata: {
        channelId: action.channel.id,
        messageTs,
        threadTs: (action.message as { thread_ts?: string }).thread_ts ?? messageTs,
        draftId,
        ...messageAuthor(action.message as AuthoredMessage),
      },
      defaultProject: channelDefault && { gid: channelDefault.projectGid, name: channelDefault.projectName },
    });

    let viewId: string | undefined;
    try {
      const opened = await client.views.open({ trigger_id: action.trigger_id, view });
      viewId = opened.view?.id;
    } catch (error) {
      deps.drafts.delete(draftId);
      logFailure(logger, error, 'open the task form');
      await respond({
        response_type: 'ephemeral',
        ...noticeMessage(
          'Slack closed the window for that form before it could open. Please try the shortcut again.',
        ),
      }).catch(() => undefined);
      return;
    }

    // Warm the project list so the picker can answer from memory within Slack's 3 s.
    deps.directory.projects(deps.workspaceGid).catch((error) => logFailure(logger, error, 'load projects'));

    // Checked after the modal is open (the trigger cannot wait); a refused person sees why in the modal.
    try {
      await deps.access.authorize({ teamId, userId: action.user.id });
    } catch (error) {
      deps.drafts.delete(draftId);
      const report = logFailure(logger, error, 'create a task');
      if (viewId) {
        await client.views
          .update({ view_id: viewId, view: modalStatusView(escapeSlackText(report.userMessage)) })
          .catch((e) =>
            logger.info('could not show the refusal in the modal', { reason: (e as Error).message }),
          );
      }
    }
  });
}
