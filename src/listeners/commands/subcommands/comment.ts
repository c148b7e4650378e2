import { UserInputError } from '../../../errors';
import { slackToAsanaRichText } from '../../../text/slack-to-asana';
import { escapeSlackText, slackToPlainText } from '../../../text/slack-text';
import { appendToBody, escapeXmlText } from '../../../text/xml';
import type { Subcommand } from '../subcommand';
import { requireTask } from './task-arg';

const EXAMPLE = '`/asana comment https://app.asana.com/0/0/1204567890123456 Looks good, shipping Friday`';

export const commentSubcommand: Subcommand = {
  name: 'comment',
  help: ['`/asana comment <task> <text>` adds a comment, with formatting and @mentions.'],
  async run({ args, requester, deps }) {
    const { taskGid, rest } = requireTask(args, EXAMPLE);
    if (!rest) throw new UserInputError(`What should the comment say? e.g. ${EXAMPLE}`);

    const mentions = await deps.people.mentions(rest);
    const rich = slackToAsanaRichText(rest, mentions);
    // The plain twin names everyone, for Asana's text field and the fallback if rich text is refused.
    const plain = slackToPlainText(rest, { userNames: mentions.userNames });
    // The comment is posted by the bridge's Asana account, so it says who wrote it.
    const signature = `— ${requester.name}, via Slack`;
    const html = appendToBody(rich.html, `\n<em>${escapeXmlText(signature)}</em>`);
    await deps.tasks.addComment(taskGid, { text: `${plain}\n${signature}`, html });
    const headline = `:speech_balloon: Comment added by ${escapeSlackText(requester.name)}.`;
    return deps.views.render({ t: taskGid, v: 'card' }, requester, { shareable: true, headline });
  },
};
