import winston from 'winston';
import { ReminderPreferences } from '../../src/reminders/reminder-preferences';
import type { SlackProfile } from '../../src/services/slack/slack-users';
import { MemoryStore } from '../../src/store/memory-store';
import { VirtualClock } from './virtual-clock';

const logger = winston.createLogger({ silent: true });

function profile(overrides: Partial<SlackProfile> = {}): SlackProfile {
  return {
    id: 'U1',
    teamId: 'T',
    name: 'One',
    timeZone: 'Europe/Berlin',
    email: 'one@example.com',
    isBot: false,
    deleted: false,
    isExternal: false,
    ...overrides,
  };
}

describe('ReminderPreferences', () => {
  it('enrolls a newcomer with the defaults and never overrides what they chose', async () => {
    const store = new MemoryStore();
    const prefs = new ReminderPreferences(store, new VirtualClock('2026-06-10T12:00:00Z'), logger);
    await prefs.noteActivity(profile());
    expect(await store.getReminderSettings('U1')).toMatchObject({
      enabled: true,
      time: '09:00',
      beforeMinutes: 30,
      timeZone: 'Europe/Berlin',
      optedInAt: '2026-06-10T12:00:00.000Z',
    });
    await prefs.change(profile(), { kind: 'off' });
    await new ReminderPreferences(store, new VirtualClock(0), logger).noteActivity(profile());
    expect((await store.getReminderSettings('U1'))?.enabled).toBe(false);
  });

  it('lets a first command of "off" win over the enrollment that same command set off', async () => {
    const store = new MemoryStore();
    // The enrollment's read is slow (a busy database), so without care it would save the defaults last.
    const slowStore = Object.create(store) as MemoryStore;
    let reads = 0;
    slowStore.getReminderSettings = async (id) => {
      const found = await store.getReminderSettings(id);
      if (reads++ === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      return found;
    };
    const prefs = new ReminderPreferences(slowStore, new VirtualClock(0), logger);
    // As the access policy does: enrollment starts, not awaited; then the subcommand runs.
    const enrollment = prefs.noteActivity(profile());
    await prefs.change(profile(), { kind: 'off' });
    await enrollment;
    expect((await store.getReminderSettings('U1'))?.enabled).toBe(false);
  });

  it('does not enroll bots, deactivated accounts or guests', async () => {
    const store = new MemoryStore();
    const prefs = new ReminderPreferences(store, new VirtualClock(0), logger);
    await prefs.noteActivity(profile({ id: 'B', isBot: true }));
    await prefs.noteActivity(profile({ id: 'D', deleted: true }));
    await prefs.noteActivity(profile({ id: 'G', isExternal: true }));
    expect(await store.listReminderSettings()).toEqual([]);
  });
});
