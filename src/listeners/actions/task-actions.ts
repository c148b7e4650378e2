import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'winston';
import { type CardContext, contextFromBlockId, decodeContext } from '../../blocks/task-card';
import { type SlackMessage, noticeMessage } from '../../blocks/task-message';
import type { TaskChanges } from '../../services/asana/task-service';
import { logFailure } from '../../services/error-reporting';
import type { SlackProfile } from '../../services/slack/slack-users';
import { escapeSlackText } from '../../text/slack-text';
import type { ListenerDeps } from '../index';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Redeliveries of one click are dropped for this long. */
const CLICK_DEDUPE_SECONDS = 60 * 60;

/** What a button does, given the task context it carries; returns the line to show above the result. */
type ButtonEffect = (args: {
  context: CardContext;
  requester: SlackProfile;
  deps: ListenerDeps;
  action: BlockAction['actions'][number];
}) => Promise<{ headline?: string; context?: CardContext } | 'share'>;

export const completeTask: ButtonEffect = async ({ context, requester, deps }) => {
  await deps.tasks.updateTask(context.t, { completed: true });
  return { headline: `:white_check_mark: Marked complete by ${escapeSlackText(requester.name)}.` };
};

export const reopenTask: ButtonEffect = async ({ context, requester, deps }) => {
  await deps.tasks.updateTask(context.t, { completed: false });
  return { headline: `:arrows_counterclockwise: Reopened by ${escapeSlackText(requester.name)}.` };
};

export const assignToMe: ButtonEffect = async ({ context, requester, deps }) => {
  const identity = await deps.people.asanaIdentity(requester.id);
  if (identity.kind === 'unmapped')
    return { headline: `:information_source: ${escapeSlackText(identity.reason)}, so nothing changed.` };
  await deps.tasks.updateTask(context.t, { assignee: identity.gid });
  return { headline: `:bust_in_silhouette: Assigned to ${escapeSlackText(requester.name)}.` };
};

export const setDueDate: ButtonEffect = async ({ context, deps, action }) => {
  const date = (action as { selected_date?: string | null }).selected_date;
  const changes: TaskChanges = date ? { dueOn: date, dueAt: null } : { dueOn: null, dueAt: null };
  await deps.tasks.updateTask(context.t, changes);
  return { headline: date ? `:calendar: Due date set to ${date}.` : ':calendar: Due date cleared.' };
};

export const moreTasks: ButtonEffect = async ({ context }) => ({ context });

export const shareResult: ButtonEffect = async () => 'share';

/**
 * Wraps a button's effect: acknowledge, check who clicked, act on Asana, then redraw the message the
 * button sits in — in place through its response_url while that lives, else as a fresh private reply
 * (or chat.update for a shared message).
 */
export function taskButton(deps: ListenerDeps, effect: ButtonEffect) {
  return async ({ ack, body, action, client, respond }: ActionArgs): Promise<void> => {
    await ack();
    const logger = deps.logger.child({
      component: 'action',
      team: body.team?.id,
      user: body.user.id,
      action: action.action_id,
    });
    const context =
      decodeContext((action as { value?: string }).value) ?? contextFromBlockId(action.block_id);
    if (!context) {
      logger.warn('button without a task context; ignored');
      return;
    }
    const clickKey = `click:${body.user.id}:${(action as { action_ts?: string }).action_ts ?? ''}:${action.action_id}`;
    if (!(await deps.store.claim(clickKey, CLICK_DEDUPE_SECONDS))) return;

    const isEphemeral = body.container?.is_ephemeral === true || !body.message;
    try {
      const requester = await deps.access.authorize({ teamId: body.team?.id, userId: body.user.id });
      const outcome = await effect({ context, requester, deps, action });

      if (outcome === 'share') {
        const message = await deps.views.render(context, requester, {
          shareable: false,
          sharedBy: escapeSlackText(requester.name),
        });
        await respond({ response_type: 'in_channel', replace_original: false, ...message });
        return;
      }
      const view = outcome.context ?? context;
      const message = await deps.views.render(view, requester, {
        shareable: isEphemeral,
        headline: outcome.headline,
        sharedBy: isEphemeral ? undefined : sharedByOf(body),
      });
      await redraw({ body, client, respond, message, isEphemeral, logger });
    } catch (error) {
      const report = logFailure(logger, error, 'update the task');
      const channel = body.channel?.id;
      if (channel) {
        await client.chat
          .postEphemeral({ channel, user: body.user.id, ...noticeMessage(report.userMessage) })
          .catch(() =>
            respond({
              response_type: 'ephemeral',
              replace_original: false,
              ...noticeMessage(report.userMessage),
            }),
          )
          .catch((e) =>
            logger.warn('could not tell the person about the failure', { reason: (e as Error).message }),
          );
      }
    }
  };
}

/** The "Shared by …" line of a shared message, kept when the message is redrawn. */
function sharedByOf(body: BlockAction): string | undefined {
  const blocks = (body.message?.blocks ?? []) as Array<{ type: string; elements?: Array<{ text?: string }> }>;
  const line = blocks
    .filter((b) => b.type === 'context')
    .map((b) => b.elements?.[0]?.text ?? '')
    .find((text) => text.startsWith('Shared by '));
  return line?.slice('Shared by '.length);
}

async function redraw(args: {
  body: BlockAction;
  client: WebClient;
  respond: ActionArgs['respond'];
  message: SlackMessage;
  isEphemeral: boolean;
  logger: Logger;
}): Promise<void> {
  const { body, client, respond, message, isEphemeral, logger } = args;
  try {
    await respond({ replace_original: true, ...message });
    return;
  } catch (error) {
    // A response_url lasts 30 minutes and five uses; after that the message can't be touched through it.
    logger.info('response_url no longer usable, replying afresh', { reason: (error as Error).message });
  }
  const channel = body.channel?.id;
  if (!channel) return;
  // The change is made in Asana by now; failing to show it must not be reported as failing to make it.
  try {
    if (!isEphemeral && body.message?.ts) {
      await client.chat.update({ channel, ts: body.message.ts, ...message });
    } else {
      await client.chat.postEphemeral({ channel, user: body.user.id, ...message });
    }
  } catch (error) {
    logger.warn('could not redraw the message', { reason: (error as Error).message });
  }
}
