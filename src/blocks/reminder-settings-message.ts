import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { ReminderSettings } from '../store/store';
import { escapeSlackText } from '../text/slack-text';
import { formatMinutes } from './reminder-message';
import type { SlackMessage } from './task-message';

export interface ReminderSettingsView {
  settings: ReminderSettings;
  /** The zone the reminders follow (the person's Slack zone). */
  timeZone: string;
  now: Date;
  /** When the next daily DM is planned; `dueNow` when today's is due and not sent yet. */
  nextAt?: number;
  dueNow?: boolean;
  /** What just changed, as a line above the settings. */
  headline?: string;
  /** Why no reminder can reach this person, when none can. */
  warning?: string;
}

/** `/asana remind`: the person's reminder settings, what comes next, and how to change them. */
export function reminderSettingsMessage(view: ReminderSettingsView): SlackMessage {
  const { settings } = view;
  const zone = escapeSlackText(view.timeZone);
  const lines: string[] = [];
  if (view.headline) lines.push(view.headline);
  if (settings.enabled) {
    lines.push(`*Daily reminder:* on, at ${settings.time} your time (${zone}, from your Slack profile).`);
    if (view.dueNow) lines.push("Today's will arrive within a minute.");
    else if (view.nextAt !== undefined)
      lines.push(`Next: ${formatInstant(view.nextAt, view.timeZone, view.now)}.`);
    lines.push(
      settings.beforeMinutes > 0
        ? `*Before-due reminder:* ${formatMinutes(settings.beforeMinutes)} before tasks that have a due time.`
        : '*Before-due reminder:* off.',
    );
  } else {
    lines.push('*Reminders:* off. `/asana remind on` turns them back on.');
  }
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }];
  if (view.warning) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `:warning: ${escapeSlackText(view.warning)}` }],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: '`/asana remind at 08:30` · `/asana remind before 15m` · `/asana remind off` · `/asana remind on`',
      },
    ],
  });
  const text = settings.enabled ? `Reminders on, daily at ${settings.time} (${zone})` : 'Reminders off';
  return { text: view.headline ? `${view.headline} ${text}` : text, blocks };
}

/** "today at 9:00 AM", "tomorrow at 9:00 AM", else "Tue, Mar 10 at 9:00 AM". */
function formatInstant(instant: number, zone: string, now: Date): string {
  const at = DateTime.fromMillis(instant, { zone }).setLocale('en-US');
  const today = DateTime.fromJSDate(now, { zone });
  const time = at.toFormat('h:mm a');
  if (at.hasSame(today, 'day')) return `today at ${time}`;
  if (at.hasSame(today.plus({ days: 1 }), 'day')) return `tomorrow at ${time}`;
  return `${at.toFormat('ccc, LLL d')} at ${time}`;
}
