import type { Subcommand } from '../subcommand';
import { requireOnlyTask } from './task-arg';

export const showSubcommand: Subcommand = {
  name: 'show',
  aliases: ['view', 'open'],
  help: ['`/asana show <task link or id>` shows a task with buttons to act on it.'],
  async run({ args, requester, deps }) {
    const taskGid = requireOnlyTask(args, '`/asana show https://app.asana.com/0/0/1204567890123456`');
    return deps.views.render({ t: taskGid, v: 'card' }, requester, { shareable: true });
  },
};
