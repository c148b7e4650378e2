/**
 * Keeps the bridge inside Asana's limits for one token: at most 50 reads and 15 writes in flight, and a
 * per-minute request budget shared by everything the bot does. Background work (reminder sweeps) may use
 * only part of the budget so that people's commands always find headroom.
 */
import { type Clock, systemClock } from '../../clock';

export type RequestKind = 'read' | 'write';
export type RequestPriority = 'interactive' | 'background';

export interface RequestLimiterOptions {
  /** Requests per minute for the whole token; Asana's free tier allows 150, paid domains 1500. */
  perMinute: number;
  /** Share of the per-minute budget background work may use; the rest is kept for people. */
  backgroundShare?: number;
  maxConcurrentReads?: number;
  maxConcurrentWrites?: number;
  clock?: Clock;
}

/** Asana's documented concurrency caps. */
const ASANA_MAX_CONCURRENT_READS = 50;
const ASANA_MAX_CONCURRENT_WRITES = 15;
const MINUTE_MS = 60_000;

/** A counting semaphore whose waiters are served in arrival order. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.capacity) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // Hand the slot straight to the next waiter so a newcomer cannot overtake it.
    if (next) next();
    else this.active -= 1;
  }

  get inFlight(): number {
    return this.active;
  }
}

export class RequestLimiter {
  private readonly reads: Semaphore;
  private readonly writes: Semaphore;
  /** Start times of requests in the last minute, oldest first. */
  private readonly started: number[] = [];
  private readonly clock: Clock;
  private readonly perMinute: number;
  private readonly backgroundLimit: number;
  private maxInFlight = { read: 0, write: 0 };

  constructor(options: RequestLimiterOptions) {
    this.clock = options.clock ?? systemClock;
    this.perMinute = options.perMinute;
    this.backgroundLimit = Math.max(1, Math.floor(options.perMinute * (options.backgroundShare ?? 0.6)));
    this.reads = new Semaphore(options.maxConcurrentReads ?? ASANA_MAX_CONCURRENT_READS);
    this.writes = new Semaphore(options.maxConcurrentWrites ?? ASANA_MAX_CONCURRENT_WRITES);
  }

  /** Runs `fn` once a concurrency slot and a share of the minute's budget are free. */
  async run<T>(kind: RequestKind, priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    await this.takeBudget(priority);
    const semaphore = kind === 'read' ? this.reads : this.writes;
    await semaphore.acquire();
    this.maxInFlight[kind] = Math.max(this.maxInFlight[kind], semaphore.inFlight);
    try {
      return await fn();
    } finally {
      semaphore.release();
    }
  }

  /** The most requests of each kind seen in flight at once, for tests and benchmarks. */
  peakInFlight(): { read: number; write: number } {
    return { ...this.maxInFlight };
  }

  private async takeBudget(priority: RequestPriority): Promise<void> {
    const limit = priority === 'interactive' ? this.perMinute : this.backgroundLimit;
    for (;;) {
      const now = this.clock.now();
      this.forgetOld(now);
      if (this.started.length < limit) {
        this.started.push(now);
        return;
      }
      // Wait until the oldest request we must outlive leaves the window.
      const oldest = this.started[this.started.length - limit];
      await this.clock.sleep(Math.max(1, oldest + MINUTE_MS - now));
    }
  }

  private forgetOld(now: number): void {
    while (this.started.length > 0 && this.started[0] <= now - MINUTE_MS) this.started.shift();
  }
}
