import { UserInputError } from '../../../errors';
import { escapeSlackText, slackToPlainText } from '../../../text/slack-text';
import type { Subcommand } from '../subcommand';

export const channelSubcommand: Subcommand = {
  name: 'channel',
  help: [
    '`/asana channel <project>[ / <section>]` makes it this channel’s default for new tasks; `/asana channel` shows it; `/asana channel none` clears it.',
  ],
  async run({ args, command, requester, deps }) {
    const channelId = command.channel_id;
    const text = slackToPlainText(args).trim();
    const reply = (message: string) => ({
      text: message,
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: message } }],
    });

    if (!text) {
      const current = await deps.store.getChannelDefault(channelId);
      return reply(
        current
          ? `New tasks from this channel go to *${escapeSlackText(current.projectName)}* unless you name another project.`
          : 'This channel has no default project. Set one with `/asana channel <project>`.',
      );
    }
    if (/^(none|clear|off|reset)$/i.test(text)) {
      const cleared = await deps.store.clearChannelDefault(channelId);
      return reply(
        cleared ? 'This channel no longer has a default project.' : 'This channel had no default project.',
      );
    }

    // A direct message is one person's: a default there would only surprise them later.
    if (channelId.startsWith('D')) {
      throw new UserInputError(
        'Channel defaults are for channels. In a direct message, name the project: `in Web App`.',
      );
    }
    const [projectText, sectionText] = splitSection(text);
    if (!projectText) throw new UserInputError('Which project? e.g. `/asana channel Web App`');
    const { project, section } = await deps.creator.resolvePlacement(projectText, sectionText);
    await deps.store.setChannelDefault({
      channelId,
      projectGid: project.gid,
      projectName: section ? `${project.name} / ${section.name}` : project.name,
      sectionGid: section?.gid,
      setBy: requester.id,
      setAt: new Date().toISOString(),
    });
    const where = section ? `${project.name} › ${section.name}` : project.name;
    return reply(
      `New tasks from this channel now go to *${escapeSlackText(where)}* unless you name another project.`,
    );
  },
};

/** "Web App / Bugs" -> ["Web App", "Bugs"]; the slash needs spaces around it so "CI/CD" stays whole. */
function splitSection(text: string): [string, string | undefined] {
  const at = text.lastIndexOf(' / ');
  return at < 0 ? [text, undefined] : [text.slice(0, at).trim(), text.slice(at + 3).trim() || undefined];
}
