import { linesWithin } from '../../../blocks/lines-within';
import { rankByName } from '../../../services/asana/asana-directory';
import { escapeWithin } from '../../../text/escape-within';
import { slackToPlainText } from '../../../text/slack-text';
import type { Subcommand } from '../subcommand';

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

    const lines = matches.map(
      (p) => `• <https://app.asana.com/0/${p.gid}/list|${escapeWithin(p.name, 60).replace(/\|/g, '∣')}>`,
    );
    const heading = filter ? `*Projects matching “${escapeWithin(filter, 200)}”*` : '*Projects*';
    const text = linesWithin(
      [`${heading} (${matches.length})`, ...lines],
      3000,
      (left) => `…and ${left} more. Add a filter to narrow the list.`,
    );
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  },
};
