import type { SlackMessage } from './task-message';

/** Slack's cap on a section's text. */
const SECTION_MAX = 3000;

/**
 * Usage of `/asana`: one paragraph per subcommand, from each subcommand's own help lines, split over
 * as many sections as Slack's 3,000-character limit needs.
 */
export function helpMessage(options: { intro?: string; commands: string[][] }): SlackMessage {
  const paragraphs = [
    ...(options.intro ? [options.intro] : []),
    '*Asana from Slack*',
    ...options.commands.map((lines) => lines.join('\n')),
    'To turn a message into a task, or add it to one, open the message’s *⋯* menu and choose *Create Asana task* or *Add to Asana task*.',
  ];
  const sections: string[] = [];
  for (const paragraph of paragraphs) {
    const last = sections[sections.length - 1];
    if (last !== undefined && last.length + paragraph.length + 2 <= SECTION_MAX)
      sections[sections.length - 1] = `${last}\n\n${paragraph}`;
    else sections.push(paragraph.slice(0, SECTION_MAX));
  }
  return {
    text: paragraphs.join('\n\n'),
    blocks: sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  };
}
