import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import {
  CreateTaskModalMetadata,
  createTaskModal,
  decodeMetadata,
  modalStatusView,
  NAME_MAX,
  truncateForInput,
} from '../../blocks/create-task-modal';
import { taskDetails, taskLink } from '../../blocks/task-message';
import { UserInputError } from '../../errors';
import {
  ASSIGNEE_BLOCK,
  ASSIGNEE_SELECT_ACTION,
  DUE_BLOCK,
  DUE_DATE_ACTION,
  NOTES_BLOCK,
  NOTES_INPUT_ACTION,
  PROJECT_BLOCK,
  PROJECT_SELECT_ACTION,
  TASK_NAME_ACTION,
  TASK_NAME_BLOCK,
  THREAD_REPLY_ACTION,
  THREAD_REPLY_BLOCK,
} from '../../ids';
import { logFailure } from '../../services/error-reporting';
import { slackToAsanaRichText } from '../../text/slack-to-asana';
import { escapeSlackText } from '../../text/slack-text';
import type { ListenerDeps } from '../index';
import { getPermalink, replyInThread } from '../message-replies';
import { claimSubmission } from './claim-submission';
import { authorName, recordMessageTask } from './message-task-link';

/** What the person entered in the modal. */
interface FormValues {
  name: string;
  notes: string;
  projectGid?: string;
  assigneeSlackId?: string;
  dueOn?: string;
  threadReply: boolean;
}

type StateValues = Record<string, Record<string, any>>;

function readForm(values: StateValues): FormValues {
  const value = (block: string, action: string) => values[block]?.[action];
  return {
    name: (value(TASK_NAME_BLOCK, TASK_NAME_ACTION)?.value ?? '').trim(),
    notes: value(NOTES_BLOCK, NOTES_INPUT_ACTION)?.value ?? '',
    projectGid: value(PROJECT_BLOCK, PROJECT_SELECT_ACTION)?.selected_option?.value || undefined,
    assigneeSlackId: value(ASSIGNEE_BLOCK, ASSIGNEE_SELECT_ACTION)?.selected_user || undefined,
    dueOn: value(DUE_BLOCK, DUE_DATE_ACTION)?.selected_date || undefined,
    threadReply: (value(THREAD_REPLY_BLOCK, THREAD_REPLY_ACTION)?.selected_options ?? []).length > 0,
  };
}

/**
 * Errors keyed by input block, as Slack shows them. A due date is "past" when it is before today where
 * the person is; with no profile to hand, before today anywhere on Earth (UTC-12), so no one is refused
 * a date that is still today for them.
 */
function validateForm(form: FormValues, timeZone: string | undefined, now: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.name) errors[TASK_NAME_BLOCK] = 'Give the task a name.';
  else if (form.name.length > NAME_MAX)
    errors[TASK_NAME_BLOCK] = `Keep the name under ${NAME_MAX} characters.`;
  if (form.dueOn) {
    const today = DateTime.fromJSDate(now, { zone: timeZone ?? 'UTC-12' }).toISODate();
    if (today && form.dueOn < today) errors[DUE_BLOCK] = 'That date has passed. Pick today or a later date.';
  }
  return errors;
}

/** Submission of the "Create Asana task" modal. */
export function createTaskSubmission(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const userId = body.user.id;
    const logger = deps.logger.child({ component: 'modal', team: body.team?.id, user: userId });
    const metadata = decodeMetadata(view.private_metadata);
    // A request without state (never from Slack itself) reads as an empty form and fails validation.
    const form = readForm((view.state?.values ?? {}) as StateValues);

    const errors = metadata
      ? validateForm(form, deps.users.peek(userId)?.timeZone, new Date())
      : { [TASK_NAME_BLOCK]: 'This form has expired. Close it and run the shortcut on the message again.' };
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const meta = metadata as CreateTaskModalMetadata;

    // A redelivered submission (Socket Mode reconnects can repeat one) must not create a second task.
    if (!(await claimSubmission(deps, view, logger))) {
      await ack();
      return;
    }

    await ack({
      response_action: 'update',
      view: modalStatusView(':hourglass_flowing_sand: Creating the task in Asana…'),
    });

    try {
      const requester = await deps.access.authorize({ teamId: body.team?.id, userId });
      const [permalink, author] = await Promise.all([
        getPermalink(client, meta, logger),
        authorName(deps, meta),
      ]);
      // Notes left as prefilled mean "the message": all of it, with its formatting and mentions.
      const draft = await deps.drafts.get(meta.draftId);
      const untouched = draft !== undefined && form.notes === truncateForInput(draft.plain);
      const notes = untouched ? draft.plain : form.notes;
      const richNotes = untouched
        ? slackToAsanaRichText(draft.raw, await deps.people.mentions(draft.raw)).html
        : undefined;
      const channelDefault = await deps.store.getChannelDefault(meta.channelId).catch(() => undefined);

      const { task, notices } = await deps.creator.createFromMessage({
        name: form.name,
        notes,
        richNotes,
        projectGid: form.projectGid,
        sectionGid:
          form.projectGid && form.projectGid === channelDefault?.projectGid
            ? channelDefault.sectionGid
            : undefined,
        assigneeSlackId: form.assigneeSlackId,
        dueOn: form.dueOn,
        requester,
        permalink,
        authorName: author,
      });
      deps.drafts.delete(meta.draftId);
      await recordMessageTask(deps, meta, task.gid, userId, logger);

      const noticeLines = notices.map((n) => `\n:information_source: ${escapeSlackText(n)}`).join('');
      // The person may have closed the modal; the task exists either way, so this must not fail the create.
      await client.views
        .update({
          view_id: view.id,
          view: modalStatusView(
            `:white_check_mark: Created ${taskLink(task)}\n${taskDetails(task, requester.timeZone)}${noticeLines}`,
          ),
        })
        .catch((e) =>
          logger.info('could not show the result in the modal', { reason: (e as Error).message }),
        );
      if (form.threadReply)
        await replyInThread(
          client,
          meta,
          {
            userId,
            text: `${escapeSlackText(requester.name)} created an Asana task from this message: ${taskLink(task)}`,
            privateText: `I couldn't post in that thread, so here is the link just for you: ${taskLink(task)}`,
          },
          logger,
        );
    } catch (error) {
      const report = logFailure(logger, error, 'create the task');
      // A refusal the person can fix (a project that is gone) brings the form back with their input kept.
      const next =
        error instanceof UserInputError && form.projectGid
          ? createTaskModal({
              name: form.name,
              notes: form.notes,
              metadata: meta,
              banner: report.userMessage,
              assigneeSlackId: form.assigneeSlackId,
              dueOn: form.dueOn,
              threadReply: form.threadReply,
            })
          : modalStatusView(escapeSlackText(report.userMessage));
      await client.views
        .update({ view_id: view.id, view: next })
        .catch((e) =>
          logger.warn('could not show the result in the modal', { reason: (e as Error).message }),
        );
    }
  };
}
