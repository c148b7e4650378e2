import { UserInputError } from '../../../errors';
import { slackToPlainText } from '../../../text/slack-text';
import { QUERY_MAX } from '../../../blocks/task-card';
import { truncate } from '../../../text/truncate';
import type { Subcommand } from '../subcommand';

export const findTasksSubcommand: Subcommand = {
  name: 'find',
  aliases: ['search'],
  help: ['`/asana find <words>` searches open tasks (full text on paid plans, task names otherwise).'],
  async run({ args, requester, deps }) {
    // Cut to what a More button can carry, so every page is the same search.
    const query = truncate(slackToPlainText(args).trim(), QUERY_MAX, '');
    if (!query) throw new UserInputError('What should I look for? e.g. `/asana find onboarding checklist`');
    return deps.views.render({ t: '0', v: 'find', q: query, p: 0 }, requester, { shareable: true });
  },
};
