import { taskCreatedMessage, tasksCreatedMessage } from '../../../blocks/task-message';
import type { Subcommand } from '../subcommand';

export const createSubcommand: Subcommand = {
  name: 'create',
  aliases: ['new', 'add'],
  help: [
    '`/asana create <task name> [due <date>] [in <project>[ / <section>]] [for @person|me]`',
    '  e.g. `/asana create Update onboarding doc due friday in Marketing for me`',
    '  Dates: `2026-12-24`, `today`, `tomorrow`, `friday`, `next fri`, `in 3 days`, `dec 5`, `friday 3pm`.',
    '  A name ending in such words goes in quotes: `/asana create "Fix typo in README" in Docs`',
    '  One task per line when you give several lines; a channel default project applies when none is named.',
  ],
  async run({ args, command, requester, deps }) {
    const { tasks, notices } = await deps.creator.createFromCommand(args, requester, command.channel_id);
    return tasks.length === 1
      ? taskCreatedMessage(tasks[0], { timeZone: requester.timeZone, notices })
      : tasksCreatedMessage(tasks, { notices });
  },
};
