import type { Clock } from '../../src/clock';

/**
 * A clock whose time moves only when someone sleeps on it or a test sets it. Sleepers wake one at a
 * time in order of their wake-up time, each moving the clock to that time, with a turn of the event
 * loop between them so the woken code can run (and sleep again) first. Paced and rate-limited work
 * that would take minutes so runs in milliseconds while every timestamp reads as it would in real time.
 * Time never goes backwards: setting an earlier time than a sleeper reached is a test bug and throws.
 */
export class VirtualClock implements Clock {
  private t: number;
  /** (wall-clock ms, virtual ms) at each change, to read a fake server's wall-clock stamps as virtual time. */
  private readonly changes: Array<[number, number]> = [];
  private readonly sleepers: Array<{ target: number; resolve: () => void }> = [];
  private waking = false;
  private readonly watchers: Array<{ at: number; resolve: () => void }> = [];

  constructor(start: string | number) {
    this.t = typeof start === 'number' ? start : Date.parse(start);
    this.changes.push([Date.now(), this.t]);
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ target: this.t + Math.max(0, ms), resolve });
      this.wakeNext();
    });
  }

  /** Moves to an instant (ISO or epoch ms) at or after the current time. */
  set(at: string | number): void {
    const target = typeof at === 'number' ? at : Date.parse(at);
    if (target < this.t) {
      throw new Error(
        `VirtualClock: ${new Date(target).toISOString()} is before ${new Date(this.t).toISOString()}`,
      );
    }
    this.moveTo(target);
  }

  /** Moves to an instant unless time is already past it (paced work may have moved it further). */
  advanceTo(at: string | number): void {
    const target = typeof at === 'number' ? at : Date.parse(at);
    if (target > this.t) this.moveTo(target);
  }

  /** Resolves once time reaches `at`, without moving it (sleepers or `set` must). */
  until(at: number): Promise<void> {
    if (this.t >= at) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ at, resolve }));
  }

  /** The virtual time that was current at a wall-clock instant. */
  virtualAt(wallMs: number): number {
    let value = this.changes[0][1];
    for (const [wall, virtual] of this.changes) {
      if (wall > wallMs) break;
      value = virtual;
    }
    return value;
  }

  private wakeNext(): void {
    if (this.waking) return;
    this.waking = true;
    setImmediate(() => {
      this.waking = false;
      this.sleepers.sort((a, b) => a.target - b.target);
      const next = this.sleepers.shift();
      if (!next) return;
      this.moveTo(next.target);
      next.resolve();
      if (this.sleepers.length > 0) this.wakeNext();
    });
  }

  private moveTo(target: number): void {
    if (target <= this.t) return;
    this.t = target;
    this.changes.push([Date.now(), target]);
    for (let i = this.watchers.length - 1; i >= 0; i--) {
      if (this.watchers[i].at <= target) this.watchers.splice(i, 1)[0].resolve();
    }
  }
}
