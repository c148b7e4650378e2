import { UserInputError } from '../../../errors';
import { slackToPlainText } from '../../../text/slack-text';
import type { Subcommand } from '../subcommand';

export const findTasksSubcommand: Subcommand = {
  name: 'find',
  aliases: ['search'],
  help: ['`/asana find <words>` searches open tasks (full text on paid plans, task names otherwise).'],
  async run({ args, requester, deps }) {
    const query = slackToPlainText(args).trim();
    if (!query) throw new UserInputError('What should I look for? e.g. `/asana find onboarding checklist`');
    return deps.views.render({ t: '0', v: 'find', q: query, p: 0 }, requester, { shareable: true });
  },
};
