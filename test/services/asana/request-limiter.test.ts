import type { Clock } from '../../../src/clock';
import { RequestLimiter } from '../../../src/services/asana/request-limiter';

/** A clock that only moves when a sleeper asks it to, so minute windows pass instantly. */
function manualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('RequestLimiter', () => {
  it('never starts more than the per-minute budget in any minute', async () => {
    const clock = manualClock();
    const limiter = new RequestLimiter({ perMinute: 10, clock });
    const starts: number[] = [];
    for (let i = 0; i < 35; i++)
      await limiter.run('read', 'interactive', async () => starts.push(clock.now()));

    for (const start of starts) {
      expect(starts.filter((s) => s >= start && s < start + 60_000).length).toBeLessThanOrEqual(10);
    }
    expect(starts).toHaveLength(35);
  });

  it('keeps part of the budget free of background work', async () => {
    const clock = manualClock();
    const limiter = new RequestLimiter({ perMinute: 10, backgroundShare: 0.5, clock });
    for (let i = 0; i < 5; i++) await limiter.run('read', 'background', async () => undefined);
    expect(clock.slept).toEqual([]);

    // The sixth background request waits for the window; a person's request does not.
    await limiter.run('read', 'interactive', async () => undefined);
    expect(clock.slept).toEqual([]);
    await limiter.run('read', 'background', async () => undefined);
    expect(clock.slept.length).toBe(1);
  });

  it('caps requests in flight per kind', async () => {
    const limiter = new RequestLimiter({ perMinute: 1000, maxConcurrentWrites: 3 });
    let inFlight = 0;
    let peak = 0;
    const work = () =>
      limiter.run('write', 'interactive', async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
      });
    await Promise.all(Array.from({ length: 12 }, work));

    expect(peak).toBe(3);
    expect(limiter.peakInFlight().write).toBe(3);
  });

  it('releases the slot when the work fails', async () => {
    const limiter = new RequestLimiter({ perMinute: 1000, maxConcurrentReads: 1 });
    await expect(
      limiter.run('read', 'interactive', async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    await expect(limiter.run('read', 'interactive', async () => 'ok')).resolves.toBe('ok');
  });
});
