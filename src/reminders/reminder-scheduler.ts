import { Cron } from 'croner';
import type { Logger } from 'winston';

/** Every minute, on the minute: a reminder due at 09:00 goes at 09:00:00 plus the time to send it. */
const EVERY_MINUTE = '* * * * *';

/**
 * Runs a sweep every minute with croner, and once at start-up so reminders missed while the bridge
 * was down go out at once (if still the same local day). croner's `protect` skips a minute whose
 * previous run is still going; the sweep guards against overlap itself as well, since tests and the
 * start-up run call it outside croner.
 */
export class ReminderScheduler {
  private job: Cron | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly sweep: () => Promise<void>,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'scheduler' });
  }

  start(): void {
    if (this.job) return;
    // unref: the Slack listener keeps the process alive; a reminder timer alone never should.
    this.job = new Cron(EVERY_MINUTE, { protect: true, unref: true }, () => this.run());
    void this.run();
    this.logger.info('reminder scheduler started', { next: this.job.nextRun()?.toISOString() });
  }

  /** Stops the timer; the caller then waits for the sweep in flight. */
  stop(): void {
    this.job?.stop();
    this.job = undefined;
  }

  private async run(): Promise<void> {
    try {
      await this.sweep();
    } catch (error) {
      this.logger.error('reminder sweep failed', {
        job: 'reminder-sweep',
        reason: (error as Error).message,
        error,
      });
    }
  }
}
