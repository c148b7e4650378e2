import { escapeSlackText } from '../../../text/slack-text';
import type { Subcommand } from '../subcommand';
import { requireOnlyTask } from './task-arg';

/** `done` and `reopen` differ only in the value they set. */
function completion(name: 'done' | 'reopen', completed: boolean, aliases: string[]): Subcommand {
  return {
    name,
    aliases,
    help: [
      `\`/asana ${name} <task link or id>\` ${completed ? 'marks a task complete' : 'reopens a completed task'}.`,
    ],
    async run({ args, requester, deps }) {
      const taskGid = requireOnlyTask(args, `\`/asana ${name} https://app.asana.com/0/0/1204567890123456\``);
      const task = await deps.tasks.updateTask(taskGid, { completed });
      const headline = completed
        ? `:white_check_mark: Marked complete by ${escapeSlackText(requester.name)}.`
        : `:arrows_counterclockwise: Reopened by ${escapeSlackText(requester.name)}.`;
      return deps.views.render({ t: task.gid, v: 'card' }, requester, { shareable: true, headline });
    },
  };
}

export const doneSubcommand = completion('done', true, ['complete', 'close']);
export const reopenSubcommand = completion('reopen', false, ['undone']);
