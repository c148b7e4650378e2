import {
  beforeDueMessage,
  dailyReminderMessage,
  dueLabel,
  groupReminderTasks,
  parseSnoozeValue,
  withTaskOutcome,
} from '../../src/blocks/reminder-message';
import { reminderSettingsMessage } from '../../src/blocks/reminder-settings-message';
import type { Task } from '../../src/services/asana/types';

function task(gid: string, overrides: Partial<Task> = {}): Task {
  return {
    gid,
    name: `Task ${gid}`,
    notes: '',
    completed: false,
    dueOn: null,
    dueAt: null,
    assignee: null,
    projects: [{ gid: '9', name: 'Web & App' }],
    sections: [],
    permalinkUrl: `https://app.asana.com/0/0/${gid}`,
    ...overrides,
  };
}

// 2026-06-10 10:00 in New York.
const options = { timeZone: 'America/New_York', now: new Date('2026-06-10T14:00:00Z') };

describe('groupReminderTasks', () => {
  it('splits by the person’s today: overdue (including earlier today), today, tomorrow; later and undated left out', () => {
    const groups = groupReminderTasks(
      [
        task('1', { dueOn: '2026-06-09' }),
        task('2', { dueAt: '2026-06-10T13:00:00.000Z' }), // 09:00 today: already past
        task('3', { dueOn: '2026-06-10' }),
        task('4', { dueAt: '2026-06-11T03:00:00.000Z' }), // 23:00 today local
        task('5', { dueOn: '2026-06-11' }),
        task('6', { dueOn: '2026-06-12' }),
        task('7'),
      ],
      options,
    );
    expect(groups.overdue.map((t) => t.gid)).toEqual(['1', '2']);
    expect(groups.today.map((t) => t.gid).sort()).toEqual(['3', '4']);
    expect(groups.tomorrow.map((t) => t.gid)).toEqual(['5']);
  });
});

describe('dailyReminderMessage', () => {
  it('stays within Block Kit limits however many tasks there are, and says how many it left out', () => {
    const tasks = Array.from({ length: 60 }, (_, i) =>
      task(String(100 + i), { name: 'x'.repeat(5000), dueOn: i % 3 === 0 ? '2026-06-01' : '2026-06-10' }),
    );
    const message = dailyReminderMessage({
      groups: groupReminderTasks(tasks, options),
      options,
      reminderTime: '09:00',
      allTasksUrl: 'https://app.asana.com/0/42/list',
    });
    expect(message.blocks!.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks!) {
      const text = (block as { text?: { text: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(message.blocks)).toContain(
      'Showing 15 of 60 tasks. <https://app.asana.com/0/42/list|See all 60 in Asana>',
    );
    expect(message.text).toBe('Asana: 20 overdue, 40 due today');
  });

  it('escapes task and project names so nothing pings or formats', () => {
    const message = dailyReminderMessage({
      groups: groupReminderTasks(
        [task('1', { name: '<!here> *bold* | pipe', dueOn: '2026-06-10' })],
        options,
      ),
      options,
      reminderTime: '09:00',
    });
    const json = JSON.stringify(message.blocks);
    expect(json).not.toContain('<!here>');
    expect(json).toContain('&lt;!here&gt;');
    expect(json).toContain('Web &amp; App');
  });
});

describe('beforeDueMessage, labels and outcomes', () => {
  it('says how soon, in the person’s time', () => {
    const message = beforeDueMessage([task('1', { dueAt: '2026-06-10T14:30:00.000Z' })], options);
    expect(message.text).toBe('Due in 30 min: Task 1');
    expect(JSON.stringify(message.blocks)).toContain('due today at 10:30 AM');
    expect(dueLabel(task('2', { dueOn: '2026-06-01' }), options)).toBe('overdue since Mon, Jun 1');
    expect(dueLabel(task('3', { dueAt: '2026-06-11T13:00:00.000Z' }), options)).toBe(
      'due tomorrow at 9:00 AM',
    );
  });

  it('replaces one task’s buttons with what happened, and reads Snooze values back', () => {
    const message = beforeDueMessage(
      [task('1', { dueAt: '2026-06-10T14:30:00.000Z' }), task('2', { dueAt: '2026-06-10T14:40:00.000Z' })],
      options,
    );
    const blocks = withTaskOutcome(message.blocks!, '1', { status: ':white_check_mark: Completed' });
    expect(blocks.find((b) => b.block_id === 'reminder_actions:1')?.type).toBe('context');
    expect(blocks.find((b) => b.block_id === 'reminder_actions:2')?.type).toBe('actions');
    expect(parseSnoozeValue('push:123')).toEqual({ choice: 'push', taskGid: '123' });
    expect(parseSnoozeValue('later:123')).toBeUndefined();
  });
});

describe('reminderSettingsMessage', () => {
  it('shows the time, the zone it follows and the next reminder', () => {
    const message = reminderSettingsMessage({
      settings: {
        slackUserId: 'U1',
        enabled: true,
        time: '08:30',
        beforeMinutes: 90,
        timeZone: 'Europe/Berlin',
        optedInAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
      },
      timeZone: 'Europe/Berlin',
      now: new Date('2026-06-10T12:00:00Z'),
      nextAt: Date.parse('2026-06-11T06:30:00Z'),
    });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('at 08:30 your time (Europe/Berlin');
    expect(json).toContain('Next: tomorrow at 8:30 AM');
    expect(json).toContain('1 h 30 min before');
  });
});
