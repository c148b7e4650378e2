/**
 * Time as the bridge reads it. Everything that waits or stamps takes a Clock, so tests and benchmarks
 * can run hours of reminders and minutes of rate limiting on a virtual clock in seconds.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
