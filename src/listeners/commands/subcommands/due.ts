import { formatDueForSlack, parseDue } from '../../../dates/parse-due';
import { resolveDateTokens } from '../../../dates/slack-date-token';
import { UserInputError } from '../../../errors';
import { slackToPlainText } from '../../../text/slack-text';
import type { Subcommand } from '../subcommand';
import { requireTask } from './task-arg';

const EXAMPLE = '`/asana due https://app.asana.com/0/0/1204567890123456 friday` (or `none`)';

export const dueSubcommand: Subcommand = {
  name: 'due',
  help: [
    '`/asana due <task> <date>|none` sets or clears a due date, e.g. `tomorrow`, `fri 3pm`, `2026-12-24`.',
  ],
  async run({ args, requester, deps }) {
    const { taskGid, rest } = requireTask(args, EXAMPLE);
    const text = slackToPlainText(resolveDateTokens(rest, requester.timeZone)).trim();
    if (!text) throw new UserInputError(`Which date? e.g. ${EXAMPLE}`);

    if (/^(none|no date|clear|never)$/i.test(text)) {
      await deps.tasks.updateTask(taskGid, { dueOn: null, dueAt: null });
      return deps.views.render({ t: taskGid, v: 'card' }, requester, {
        shareable: true,
        headline: ':calendar: Due date cleared.',
      });
    }
    const due = parseDue(text, { timeZone: requester.timeZone, now: new Date() });
    await deps.tasks.updateTask(
      taskGid,
      due.kind === 'date' ? { dueOn: due.dueOn, dueAt: null } : { dueAt: due.dueAt, dueOn: null },
    );
    // With the year whenever it is not this year, so a date set in the past does not look upcoming.
    const headline = `:calendar: Due ${formatDueForSlack(due, requester.timeZone, new Date())}.`;
    return deps.views.render({ t: taskGid, v: 'card' }, requester, { shareable: true, headline });
  },
};
