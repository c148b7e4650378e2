import { UserInputError } from '../../../errors';
import { escapeSlackText, extractMentionedUserIds } from '../../../text/slack-text';
import { assertAssignable } from '../../../services/assignee-check';
import type { Subcommand } from '../subcommand';
import { requireTask } from './task-arg';

const EXAMPLE = '`/asana assign https://app.asana.com/0/0/1204567890123456 @jane` (or `me`, or `nobody`)';

export const assignSubcommand: Subcommand = {
  name: 'assign',
  help: ['`/asana assign <task> @person|me|nobody` changes who a task is assigned to.'],
  async run({ args, requester, deps }) {
    const { taskGid, rest } = requireTask(args, EXAMPLE);
    const who = rest.trim();
    let assignee: string | null;
    let label: string;
    if (/^(nobody|none|no one|unassign(ed)?)$/i.test(who)) {
      assignee = null;
      label = 'nobody';
    } else {
      const mentioned = extractMentionedUserIds(who);
      if (mentioned.length > 1) throw new UserInputError('A task has one assignee; mention just one person.');
      const slackUserId = /^me$/i.test(who) ? requester.id : mentioned[0];
      if (!slackUserId) throw new UserInputError(`Whom should I assign it to? e.g. ${EXAMPLE}`);
      assertAssignable(await deps.users.profile(slackUserId));
      const identity = await deps.people.asanaIdentity(slackUserId);
      if (identity.kind === 'unmapped') throw new UserInputError(`${identity.reason}, so nothing changed.`);
      assignee = identity.gid;
      label = identity.profile.name;
    }
    await deps.tasks.updateTask(taskGid, { assignee });
    const headline = `:bust_in_silhouette: Assigned to ${escapeSlackText(label)} by ${escapeSlackText(requester.name)}.`;
    return deps.views.render({ t: taskGid, v: 'card' }, requester, { shareable: true, headline });
  },
};
