import { rankByName } from '../../../services/asana/asana-directory';
import { escapeWithin } from '../../../text/escape-within';
import { escapeSlackText, slackToPlainText } from '../../../text/slack-text';
import { truncate } from '../../../text/truncate';
import type { Subcommand } from '../subcommand';

/** Enough names to be useful in one message, well inside Slack's 3,000 characters a section. */
const MAX_LISTED = 40;

export const projectsSubcommand: Subcommand = {
  name: 'projects',
  aliases: ['project'],
  help: ['`/asana projects [filter]` lists the workspace’s projects, e.g. `/asana projects web`.'],
  async run({ args, deps }) {
    const filter = slackToPlainText(args).trim();
    const all = await deps.directory.projects(deps.workspaceGid);
    const matches = filter ? rankByName(all, filter) : [...all].sort((a, b) => a.name.localeCompare(b.name));
    if (matches.length === 0) {
      const text = `No project matches “${escapeWithin(filter, 200)}”. Try a shorter filter.`;
      return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
    }

    const lines = matches
      .slice(0, MAX_LISTED)
      .map(
        (p) =>
          `• <https://app.asana.com/0/${p.gid}/list|${escapeSlackText(truncate(p.name, 60)).replace(/\|/g, '∣')}>`,
      );
    const more = matches.length - MAX_LISTED;
    const heading = filter ? `*Projects matching “${escapeWithin(filter, 200)}”*` : '*Projects*';
    const footer = more > 0 ? `\n…and ${more} more. Add a filter to narrow the list.` : '';
    const text = truncate(`${heading} (${matches.length})\n${lines.join('\n')}${footer}`, 3000);
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  },
};
