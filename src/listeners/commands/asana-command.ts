import type { AllMiddlewareArgs, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'winston';
import { helpMessage } from '../../blocks/help-message';
import { type SlackMessage, noticeMessage } from '../../blocks/task-message';
import { OTHER_TEAM_MESSAGE } from '../../services/access-policy';
import { logFailure } from '../../services/error-reporting';
import { truncate } from '../../text/truncate';
import { escapeSlackText, normalizeCommandText, slackToPlainText } from '../../text/slack-text';
import type { ListenerDeps } from '../index';
import { findSubcommand, subcommands } from './subcommands';

/** Splits "create Fix the thing" into the subcommand and the rest, keeping the rest as typed. */
function splitSubcommand(text: string): { subcommand: string; rest: string } {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
  return match ? { subcommand: match[1].toLowerCase(), rest: match[2].trim() } : { subcommand: '', rest: '' };
}

/** The usage message, from every subcommand's own help. */
function usage(intro?: string) {
  return helpMessage({
    intro,
    commands: [...subcommands.map((s) => s.help), ['`/asana help` shows this message.']],
  });
}

/**
 * `/asana …`: answers what needs no lookup in the ack, acknowledges everything else at once, then
 * runs the subcommand and replies through response_url.
 */
export function asanaCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const logger = deps.logger.child({
      component: 'command',
      team: command.team_id,
      user: command.user_id,
      channel: command.channel_id,
    });
    const { subcommand: word, rest } = splitSubcommand(normalizeCommandText(command.text));

    if (deps.access.isOtherTeam(command.team_id)) {
      await ack(noticeMessage(OTHER_TEAM_MESSAGE));
      return;
    }
    if (word === '' || word === 'help') {
      await ack(usage());
      return;
    }
    const subcommand = findSubcommand(word);
    if (!subcommand) {
      const nearest = nearestName(word);
      const hint = nearest ? `Did you mean \`${nearest}\`?` : 'Here is what I can do:';
      await ack(usage(`I don't know \`${escapeSlackText(slackToPlainText(word).slice(0, 40))}\`. ${hint}`));
      return;
    }

    await ack();
    let reply;
    try {
      const requester = await deps.access.authorize({ teamId: command.team_id, userId: command.user_id });
      reply = await subcommand.run({ args: rest, command, requester, deps, logger, respond });
    } catch (error) {
      const report = logFailure(logger, error, actionFor(subcommand.name));
      reply = noticeMessage(report.userMessage);
    }
    await sendReply(respond, reply, logger);
  };
}

/**
 * Sends the reply; if Slack refuses the rich version, the plain text still tells the person what
 * happened. Failing to reply must never be mistaken for failing to act: the work is already done.
 */
async function sendReply(respond: RespondFn, reply: SlackMessage, logger: Logger): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', ...reply });
  } catch (error) {
    logger.warn('Slack refused the reply; sending plain text', { reason: (error as Error).message });
    await respond({ response_type: 'ephemeral', text: truncate(reply.text, 3000) }).catch((e) =>
      logger.warn('could not reply through response_url', { reason: (e as Error).message }),
    );
  }
}

/** How a failure of a subcommand is phrased: "I couldn't <action>". */
function actionFor(name: string): string {
  return name === 'create' ? 'create the task' : `run \`${name}\``;
}

/** The subcommand name closest to a mistyped word, when it is close enough to be a typo. */
function nearestName(word: string): string | undefined {
  const names = subcommands.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit ("craete" -> "create"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
