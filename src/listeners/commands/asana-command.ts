import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpMessage } from '../../blocks/help-message';
import { noticeMessage, taskCreatedMessage } from '../../blocks/task-message';
import { OTHER_TEAM_MESSAGE } from '../../services/access-policy';
import { logFailure } from '../../services/error-reporting';
import { escapeSlackText, normalizeCommandText } from '../../text/slack-text';
import type { ListenerDeps } from '../index';

const SUBCOMMANDS = ['create', 'help'] as const;

/** Splits "create Fix the thing" into the subcommand and the rest, keeping the rest byte for byte. */
export function splitSubcommand(text: string): { subcommand: string; rest: string } {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
  return match ? { subcommand: match[1].toLowerCase(), rest: match[2].trim() } : { subcommand: '', rest: '' };
}

/** `/asana …`: acknowledges at once, then does the Asana work and answers through response_url. */
export function asanaCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const logger = deps.logger.child({
      component: 'command',
      team: command.team_id,
      user: command.user_id,
      channel: command.channel_id,
    });
    const { subcommand, rest } = splitSubcommand(normalizeCommandText(command.text));

    const installed = deps.installedTeamId();
    if (installed && command.team_id !== installed) {
      await ack(noticeMessage(OTHER_TEAM_MESSAGE));
      return;
    }
    if (subcommand === '' || subcommand === 'help') {
      await ack(helpMessage());
      return;
    }
    if (subcommand !== 'create') {
      await ack(
        helpMessage({
          intro: `I don't know \`${escapeSlackText(subcommand.slice(0, 40))}\`. ${suggest(subcommand)}`,
        }),
      );
      return;
    }
    if (!rest) {
      await ack(
        noticeMessage('Give the task a name, e.g. `/asana create Update onboarding doc due friday`.'),
      );
      return;
    }

    await ack();
    try {
      const requester = await deps.access.authorize({ teamId: command.team_id, userId: command.user_id });
      const { task, notices } = await deps.creator.createFromCommand(rest, requester);
      await respond({
        response_type: 'ephemeral',
        ...taskCreatedMessage(task, { timeZone: requester.timeZone, notices }),
      });
    } catch (error) {
      const report = logFailure(logger, error, 'create the task');
      await respond({ response_type: 'ephemeral', ...noticeMessage(report.userMessage) }).catch((e) =>
        logger.warn('could not reply through response_url', { reason: (e as Error).message }),
      );
    }
  };
}

function suggest(subcommand: string): string {
  const nearest = SUBCOMMANDS.find((s) => s.startsWith(subcommand.slice(0, 2)));
  return nearest ? `Did you mean \`${nearest}\`?` : 'Here is what I can do:';
}
