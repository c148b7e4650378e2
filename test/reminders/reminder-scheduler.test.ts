import winston from 'winston';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler';

const logger = winston.createLogger({ silent: true });

describe('ReminderScheduler', () => {
  it('sweeps once at start-up (to catch up on what was missed) and not after stop', async () => {
    let sweeps = 0;
    const scheduler = new ReminderScheduler(async () => {
      sweeps += 1;
    }, logger);
    scheduler.start();
    scheduler.start(); // a second start is a no-op, not a second timer
    await new Promise((resolve) => setImmediate(resolve));
    expect(sweeps).toBe(1);
    scheduler.stop();
  });

  it('logs a failed sweep instead of letting it escape the timer', async () => {
    const lines: string[] = [];
    const capture = winston.createLogger({
      transports: [new winston.transports.Console({ silent: true })],
    });
    capture.on('data', (info: { message: string }) => lines.push(info.message));
    const scheduler = new ReminderScheduler(async () => {
      throw new Error('store gone');
    }, capture);
    scheduler.start();
    await new Promise((resolve) => setImmediate(resolve));
    scheduler.stop();
    expect(lines).toContain('reminder sweep failed');
  });
});
