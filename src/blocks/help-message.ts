import type { SlackMessage } from './task-message';

/** Usage of `/asana`, shown for `/asana`, `/asana help` and anything it does not understand. */
export function helpMessage(options: { intro?: string } = {}): SlackMessage {
  const lines = [
    ...(options.intro ? [options.intro, ''] : []),
    '*Create Asana tasks from Slack*',
    '`/asana create <task name> [due <date>] [in <project>] [for @person|me]`',
    '  e.g. `/asana create Update onboarding doc due friday in Marketing`',
    '  Dates: `2026-12-24`, `today`, `tomorrow`, `friday`, `next fri`, `in 3 days`, `dec 5`, `friday 3pm`.',
    '  Sections: `in Web App / Bugs`. A name ending in such words goes in quotes:',
    '  `/asana create "Fix typo in README" in Docs`',
    '`/asana help` shows this message.',
    '',
    'To turn a message into a task, open its *⋯* menu and choose *Create Asana task*.',
  ];
  const text = lines.join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
