import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { parseSnoozeValue } from '../../blocks/reminder-message';
import { noticeMessage } from '../../blocks/task-message';
import { logFailure } from '../../services/error-reporting';
import type { ListenerDeps } from '../index';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Redeliveries of one click are dropped for this long. */
const CLICK_DEDUPE_SECONDS = 60 * 60;

/**
 * The Complete button and the Snooze menu on reminder DMs: acknowledge, check who clicked, then let
 * the reminder service change Asana and rewrite the DM in place. Failures reach the person as a
 * private note in the DM.
 */
export function reminderAction(deps: ListenerDeps, kind: 'complete' | 'snooze') {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const logger = deps.logger.child({
      component: 'action',
      team: body.team?.id,
      user: body.user.id,
      action: action.action_id,
    });
    const snooze =
      kind === 'snooze'
        ? parseSnoozeValue((action as { selected_option?: { value?: string } }).selected_option?.value)
        : undefined;
    const taskGid = kind === 'complete' ? (action as { value?: string }).value : snooze?.taskGid;
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!taskGid || !/^\d+$/.test(taskGid) || !channel || !body.message?.ts) {
      logger.warn('reminder action without a task or message; ignored');
      return;
    }
    const clickKey = `click:${body.user.id}:${(action as { action_ts?: string }).action_ts ?? ''}:${action.action_id}`;
    if (!(await deps.store.claim(clickKey, CLICK_DEDUPE_SECONDS))) return;
    // One snooze per task per DM: two quick choices before the redraw must not push a date twice.
    const snoozeKey = `snooze:${body.user.id}:${body.message.ts}:${taskGid}`;
    if (snooze && !(await deps.store.claim(snoozeKey, CLICK_DEDUPE_SECONDS))) return;

    try {
      const requester = await deps.access.authorize({ teamId: body.team?.id, userId: body.user.id });
      const message = {
        channel,
        ts: body.message.ts,
        text: body.message.text ?? '',
        blocks: (body.message.blocks ?? []) as KnownBlock[],
      };
      if (snooze) await deps.reminders.actions.snooze(snooze.choice, taskGid, requester, message);
      else await deps.reminders.actions.complete(taskGid, requester, message);
    } catch (error) {
      // A snooze that failed may be chosen again.
      if (snooze) await deps.store.release(snoozeKey).catch(() => undefined);
      const report = logFailure(
        logger,
        error,
        kind === 'complete' ? 'complete the task' : 'snooze the task',
        {
          taskGid,
        },
      );
      await client.chat
        .postEphemeral({ channel, user: body.user.id, ...noticeMessage(report.userMessage) })
        .catch((e) =>
          logger.warn('could not tell the person about the failure', { reason: (e as Error).message }),
        );
    }
  };
}
