import type { Logger } from 'winston';
import type { Clock } from '../clock';
import type { Store } from '../store/store';

/**
 * What became of one send attempt, as far as the ledger can tell:
 * - `sent`: Slack accepted it; the keys are recorded.
 * - `retry`: Slack certainly did not post it (rate limited, connection refused); the claims are released
 *   so a later sweep tries again.
 * - `unknown`: it may or may not have been posted (timeout, dropped connection, 5xx). The claims are
 *   kept until the reminder stops mattering, so it is not sent again: at most once beats twice.
 * - `refused`: Slack will never take it (account gone, invalid blocks); recorded so nothing loops.
 */
export type SendOutcome = 'sent' | 'retry' | 'unknown' | 'refused';

/** Classifies a failed send; the ledger acts on the answer. */
export type FailureClassifier = (error: unknown) => Exclude<SendOutcome, 'sent'>;

/** A claim never lasts less than this, so a clock skew between processes cannot open a double-send window. */
const MIN_CLAIM_SECONDS = 15 * 60;
/** Kept past the reminder's relevance, for the same reason. */
const CLAIM_MARGIN_SECONDS = 60 * 60;

/**
 * Exactly-once bookkeeping for reminder DMs over the store's two primitives.
 *
 * 1. Before sending, each key is checked against the record of sent reminders and then claimed. The
 *    claim is atomic across processes sharing the store, so of two overlapping sweeps (or a sweep and
 *    a restarted process) only one sends.
 * 2. The claim lasts until the reminder no longer matters (the end of the person's local day for the
 *    daily DM, the due time for a before-due one). A crash after the claim, before or during the
 *    send, therefore never leads to a second DM: the key stays claimed and nobody sends it. The price
 *    is that such a crash can lose that one reminder. Because the claim is taken just before the
 *    Slack call, that window is one HTTP request long.
 * 3. After Slack accepts the message, the key is recorded for good (30 days); a failure that proves
 *    the message was not posted releases the claim so the next sweep retries within a minute.
 */
export class ReminderLedger {
  private readonly done = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly classify: FailureClassifier,
    private readonly logger: Logger,
  ) {}

  /**
   * Whether the reminder needs no more work here: sent, settled without a message, or left alone after
   * an attempt whose outcome is unknown or which another process owns. Remembered in memory once true,
   * so a parked key costs neither a store query nor a task read on every sweep.
   */
  async isDone(key: string): Promise<boolean> {
    if (this.done.has(key)) return true;
    if (!(await this.store.hasReminder(key))) return false;
    this.done.add(key);
    return true;
  }

  /** Records a reminder that needs no message (nothing was due), so no later sweep reads for it again. */
  async settle(key: string, slackUserId: string): Promise<void> {
    await this.store.recordReminder(key, slackUserId, new Date(this.clock.now()).toISOString());
    this.done.add(key);
  }

  /**
   * Sends once for the keys not yet sent or claimed by someone else. `send` gets the keys this call
   * owns (never empty) and must post one message covering them. `relevantUntil` is when the keys stop
   * mattering (epoch ms).
   */
  async sendOnce(
    keys: string[],
    slackUserId: string,
    relevantUntil: number,
    send: (owned: string[]) => Promise<void>,
  ): Promise<SendOutcome | 'skipped'> {
    const owned: string[] = [];
    const ttl = Math.max(
      MIN_CLAIM_SECONDS,
      Math.ceil((relevantUntil - this.clock.now()) / 1000) + CLAIM_MARGIN_SECONDS,
    );
    for (const key of keys) {
      if (await this.isDone(key)) continue;
      if (await this.store.claim(claimKey(key), ttl)) owned.push(key);
    }
    if (owned.length === 0) {
      // Someone else holds the claim: they send it, or (after a crash) nobody does. Either way, not us.
      for (const key of keys) this.done.add(key);
      return 'skipped';
    }

    try {
      await send(owned);
    } catch (error) {
      const outcome = this.classify(error);
      await this.afterFailure(outcome, owned, slackUserId, error);
      return outcome;
    }
    await this.record(owned, slackUserId);
    return 'sent';
  }

  private async afterFailure(
    outcome: Exclude<SendOutcome, 'sent'>,
    owned: string[],
    slackUserId: string,
    error: unknown,
  ): Promise<void> {
    const fields = { user: slackUserId, keys: owned, reason: (error as Error)?.message };
    if (outcome === 'retry') {
      for (const key of owned) await this.store.release(claimKey(key));
      this.logger.warn('reminder not posted, will retry', fields);
    } else if (outcome === 'unknown') {
      for (const key of owned) this.done.add(key);
      this.logger.warn('reminder may not have been posted; not resending, to avoid a duplicate', fields);
    } else {
      await this.record(owned, slackUserId);
      this.logger.error('Slack refused a reminder; giving up on it', fields);
    }
  }

  private async record(keys: string[], slackUserId: string): Promise<void> {
    const sentAt = new Date(this.clock.now()).toISOString();
    for (const key of keys) {
      try {
        await this.store.recordReminder(key, slackUserId, sentAt);
        this.done.add(key);
      } catch (error) {
        // The claim still blocks a resend until the reminder stops mattering; say so and carry on.
        this.logger.error('could not record a sent reminder', { key, reason: (error as Error).message });
      }
    }
  }
}

/** Claims live in the same table as other features' claims (click de-duplication); a prefix keeps them apart. */
function claimKey(key: string): string {
  return `reminder:${key}`;
}

/** The daily DM's key: one per person per local calendar day. */
export function dailyKey(slackUserId: string, localDate: string): string {
  return `daily:${slackUserId}:${localDate}`;
}

/** A before-due reminder's key: the due time is part of it, so moving the due time earns a new reminder. */
export function dueKey(slackUserId: string, taskGid: string, dueAt: string): string {
  return `due:${slackUserId}:${taskGid}:${new Date(dueAt).toISOString()}`;
}
