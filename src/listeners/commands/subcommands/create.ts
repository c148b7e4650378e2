import { taskCreatedMessage } from '../../../blocks/task-message';
import type { Subcommand } from '../subcommand';

export const createSubcommand: Subcommand = {
  name: 'create',
  aliases: ['new', 'add'],
  help: [
    '`/asana create <task name> [due <date>] [in <project>[ / <section>]] [for @person|me]`',
    '  e.g. `/asana create Update onboarding doc due friday in Marketing for me`',
    '  Dates: `2026-12-24`, `today`, `tomorrow`, `friday`, `next fri`, `in 3 days`, `dec 5`, `friday 3pm`.',
    '  A name ending in such words goes in quotes: `/asana create "Fix typo in README" in Docs`',
  ],
  async run({ args, requester, deps }) {
    const { task, notices } = await deps.creator.createFromCommand(args, requester);
    return taskCreatedMessage(task, { timeZone: requester.timeZone, notices });
  },
};
