import type { Clock } from '../clock';

/**
 * Spaces a sweep's Asana requests evenly over time and holds them all back while Asana has asked us
 * to wait (Retry-After). The gateway's limiter already caps background work per minute; this makes
 * the sweep a steady trickle instead of a burst at the top of each minute, which matters because
 * Asana evaluates its quota more often than once a minute and a burst also fills the 50 read slots
 * that people's commands need.
 */
export class RequestPacer {
  private readonly intervalMs: number;
  private nextAt = 0;
  private pausedUntil = 0;

  constructor(
    private readonly clock: Clock,
    requestsPerMinute: number,
  ) {
    this.intervalMs = 60_000 / Math.max(1, requestsPerMinute);
  }

  /** Resolves when the caller may start one request. Callers are served in the order they asked. */
  async take(): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextAt, this.pausedUntil);
    this.nextAt = slot + this.intervalMs;
    if (slot > now) await this.clock.sleep(slot - now);
    // A Retry-After that arrived while we waited applies to us too.
    for (let now2 = this.clock.now(); this.pausedUntil > now2; now2 = this.clock.now()) {
      await this.clock.sleep(this.pausedUntil - now2);
    }
  }

  /**
   * Holds every later request back for `ms` (Asana's Retry-After); interactive work is not paced here.
   * Returns when requests may start again (epoch ms).
   */
  pause(ms: number): number {
    const until = this.clock.now() + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
    if (this.nextAt < this.pausedUntil) this.nextAt = this.pausedUntil;
    return this.pausedUntil;
  }

  get requestsPerMinute(): number {
    return 60_000 / this.intervalMs;
  }
}
