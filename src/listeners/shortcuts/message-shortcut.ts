import type { AllMiddlewareArgs, MessageShortcut, RespondFn, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'winston';
import { noticeMessage } from '../../blocks/task-message';
import { OTHER_TEAM_MESSAGE } from '../../services/access-policy';
import type { ListenerDeps } from '../index';

/** What a message shortcut's own work receives once the request is acknowledged and from our team. */
export interface MessageShortcutContext {
  action: MessageShortcut;
  /** The workspace the request came from; a guest's own team is the profile check's business. */
  teamId: string | undefined;
  client: WebClient;
  respond: RespondFn;
  logger: Logger;
}

/**
 * The part every message shortcut shares: acknowledge at once (the trigger_id is already ticking), set
 * up the request's logger, and refuse another Slack team before any lookup.
 */
export function onMessageShortcut(
  deps: ListenerDeps,
  run: (context: MessageShortcutContext) => Promise<void>,
) {
  return async ({
    shortcut,
    ack,
    client,
    respond,
  }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = shortcut as MessageShortcut;
    const teamId = action.team?.id;
    const logger = deps.logger.child({
      component: 'shortcut',
      team: teamId,
      user: action.user.id,
      channel: action.channel.id,
    });
    if (deps.access.isOtherTeam(teamId)) {
      await respond({ response_type: 'ephemeral', ...noticeMessage(OTHER_TEAM_MESSAGE) }).catch((e) =>
        logger.info('could not send the refusal', { reason: (e as Error).message }),
      );
      return;
    }
    await run({ action, teamId, client, respond, logger });
  };
}
