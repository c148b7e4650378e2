import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { addToTaskModal, addToTaskStatusView, decodeAddToTaskMetadata } from '../../blocks/add-to-task-modal';
import { taskDetails, taskLink } from '../../blocks/task-message';
import { AsanaForbiddenError, AsanaNotFoundError } from '../../errors';
import {
  ADD_TO_TASK_BLOCK,
  ADD_TO_TASK_SELECT_ACTION,
  THREAD_REPLY_ACTION,
  THREAD_REPLY_BLOCK,
} from '../../ids';
import { logFailure } from '../../services/error-reporting';
import { messageComment, tsToDate } from '../../services/message-comment';
import { escapeSlackText } from '../../text/slack-text';
import type { ListenerDeps } from '../index';
import { getPermalink, replyInThread } from '../message-replies';
import { claimSubmission } from './claim-submission';
import { authorName, recordMessageTask } from './message-task-link';

/** Shown when the picked task cannot be reached; the form comes back so another can be picked. */
const TASK_GONE_MESSAGE =
  "That task is no longer available in Asana: it was deleted, or the bridge's Asana account has no access to it. Pick another task.";
const EXPIRED_MESSAGE = 'This form has expired. Close it and run the shortcut on the message again.';

type StateValues = Record<string, Record<string, any>>;

/** What the person chose in the modal. */
export interface AddToTaskForm {
  taskGid?: string;
  threadReply: boolean;
}

function readAddToTaskForm(values: StateValues): AddToTaskForm {
  const value = (block: string, action: string) => values[block]?.[action];
  return {
    taskGid: value(ADD_TO_TASK_BLOCK, ADD_TO_TASK_SELECT_ACTION)?.selected_option?.value || undefined,
    threadReply: (value(THREAD_REPLY_BLOCK, THREAD_REPLY_ACTION)?.selected_options ?? []).length > 0,
  };
}

/** Submission of the "Add to Asana task" modal: the message becomes a comment on the picked task. */
export function addToTaskSubmission(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const userId = body.user.id;
    const logger = deps.logger.child({ component: 'modal', team: body.team?.id, user: userId });
    const meta = decodeAddToTaskMetadata(view.private_metadata);
    const form = readAddToTaskForm((view.state?.values ?? {}) as StateValues);
    // The text rides in the view, or in the draft store, which keeps it for two hours.
    const text = meta ? (meta.text ?? (await deps.drafts.get(meta.draftId))?.raw) : undefined;

    if (!meta || text === undefined) {
      await ack({ response_action: 'errors', errors: { [ADD_TO_TASK_BLOCK]: EXPIRED_MESSAGE } });
      return;
    }
    if (!form.taskGid) {
      await ack({
        response_action: 'errors',
        errors: { [ADD_TO_TASK_BLOCK]: 'Pick the task to add the message to.' },
      });
      return;
    }
    const taskGid = form.taskGid;

    // A redelivered submission (Socket Mode reconnects can repeat one) must not comment twice.
    if (!(await claimSubmission(deps, view, logger))) {
      await ack();
      return;
    }

    await ack({
      response_action: 'update',
      view: addToTaskStatusView(':hourglass_flowing_sand: Adding the message to the task in Asana…'),
    });

    try {
      const requester = await deps.access.authorize({ teamId: body.team?.id, userId });
      // Read first: a task that is gone fails here, before anything is written, and the reply needs its name.
      const task = await deps.tasks.getTask(taskGid);
      const [permalink, author, { userNames, asanaGids }] = await Promise.all([
        getPermalink(client, meta, logger),
        authorName(deps, meta),
        deps.people.mentions(text),
      ]);

      const comment = messageComment({
        text,
        authorName: author,
        postedAt: tsToDate(meta.messageTs),
        timeZone: requester.timeZone,
        permalink,
        requesterName: requester.name,
        fileNames: meta.fileNames,
        userNames,
        asanaGids,
      });
      await deps.tasks.addComment(task.gid, comment);
      deps.drafts.delete(meta.draftId);
      await recordMessageTask(deps, meta, task.gid, userId, logger);

      // The comment is in; a modal the person already closed must not cost the thread its reply.
      await client.views
        .update({
          view_id: view.id,
          view: addToTaskStatusView(
            `:white_check_mark: Added the message to ${taskLink(task)}\n${taskDetails(task, requester.timeZone)}`,
          ),
        })
        .catch((e) =>
          logger.warn('could not show the result in the modal', { reason: (e as Error).message }),
        );
      if (form.threadReply)
        await replyInThread(
          client,
          meta,
          {
            userId,
            text: `${escapeSlackText(requester.name)} added this message to the Asana task ${taskLink(task)}`,
            privateText: `I couldn't post in that thread, so here is the link just for you: ${taskLink(task)}`,
          },
          logger,
        );
    } catch (error) {
      const gone = error instanceof AsanaNotFoundError || error instanceof AsanaForbiddenError;
      const report = logFailure(logger, error, 'add the message to the task', { taskGid });
      // A task that is gone is the person's to fix: the form comes back, with their thread choice kept.
      const next = gone
        ? addToTaskModal({ metadata: meta, banner: TASK_GONE_MESSAGE, threadReply: form.threadReply })
        : addToTaskStatusView(escapeSlackText(report.userMessage));
      // Only a form that comes back can be submitted again; otherwise the kept text is of no further use.
      if (!gone) deps.drafts.delete(meta.draftId);
      await client.views
        .update({ view_id: view.id, view: next })
        .catch((e) =>
          logger.warn('could not show the result in the modal', { reason: (e as Error).message }),
        );
    }
  };
}
