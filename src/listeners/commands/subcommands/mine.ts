import type { Subcommand } from '../subcommand';

export const mineSubcommand: Subcommand = {
  name: 'mine',
  aliases: ['list', 'my', 'tasks'],
  help: ['`/asana mine` lists your open tasks, overdue first, then by due date.'],
  run: ({ requester, deps }) =>
    deps.views.render({ t: '0', v: 'mine', p: 0 }, requester, { shareable: true }),
};
