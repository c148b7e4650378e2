import { parseRemindArgs } from '../../../reminders/remind-args';
import type { Subcommand } from '../subcommand';

export const remindSubcommand: Subcommand = {
  name: 'remind',
  aliases: ['reminders', 'reminder'],
  help: [
    '`/asana remind` shows your due-date reminders; `/asana remind at 08:30`, `/asana remind before 15m`,',
    '  `/asana remind off` and `/asana remind on` change them. A daily DM lists what is overdue, due today',
    '  and due tomorrow; tasks with a due time also get one shortly before.',
  ],
  async run({ args, requester, deps }) {
    // Parse first, so a typo costs no store or Asana work and gets its hint at once.
    const request = parseRemindArgs(args);
    return deps.reminders.command(requester, request);
  },
};
