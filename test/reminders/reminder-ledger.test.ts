import winston from 'winston';
import { ReminderLedger, type FailureClassifier } from '../../src/reminders/reminder-ledger';
import { classifySlackFailure } from '../../src/reminders/reminder-poster';
import { MemoryStore } from '../../src/store/memory-store';
import { VirtualClock } from './virtual-clock';

const logger = winston.createLogger({ silent: true });
const HOUR = 3_600_000;

function setup() {
  const clock = new VirtualClock('2026-06-10T13:00:00Z');
  const store = new MemoryStore({ now: () => new Date(clock.now()) });
  const ledger = (classify: FailureClassifier = classifySlackFailure) =>
    new ReminderLedger(store, clock, classify, logger);
  return { clock, store, ledger };
}

/** A send the test finishes by hand, as a slow Slack reply would. */
function slowSend() {
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const calls: string[][] = [];
  return { send: (owned: string[]) => (calls.push(owned), done), finish, fail, calls };
}

describe('ReminderLedger', () => {
  it('sends once when two sweeps (or processes) race, even while Slack is slow to answer', async () => {
    const { ledger } = setup();
    const a = ledger();
    const b = ledger();
    const slow = slowSend();
    const first = a.sendOnce(['daily:U1:2026-06-10'], 'U1', Date.now() + HOUR, slow.send);
    await new Promise((r) => setImmediate(r));
    // A second sweep while the first DM is still in flight:
    const second = await b.sendOnce(['daily:U1:2026-06-10'], 'U1', Date.now() + HOUR, async () => {
      throw new Error('must not send');
    });
    expect(second).toBe('skipped');
    slow.finish();
    expect(await first).toBe('sent');
    // And after it landed, anyone asking sees it done.
    expect(await ledger().isDone('daily:U1:2026-06-10')).toBe(true);
    expect(slow.calls).toEqual([['daily:U1:2026-06-10']]);
  });

  it('never sends again after a crash between claim and send: at most once', async () => {
    const { ledger, clock } = setup();
    const relevantUntil = clock.now() + 11 * HOUR;
    // The first process claims, starts the send, and dies: the promise never settles.
    void ledger().sendOnce(
      ['daily:U1:2026-06-10'],
      'U1',
      relevantUntil,
      () => new Promise<void>(() => undefined),
    );
    await new Promise((r) => setImmediate(r));

    // A restarted process, minutes and hours later, the same day:
    for (const later of [5 * 60_000, 3 * HOUR, 10 * HOUR]) {
      clock.set(Date.parse('2026-06-10T13:00:00Z') + later);
      const sent: string[][] = [];
      const outcome = await ledger().sendOnce(['daily:U1:2026-06-10'], 'U1', relevantUntil, async (owned) => {
        sent.push(owned);
      });
      expect(outcome).toBe('skipped');
      expect(sent).toEqual([]);
    }
  });

  it('releases the claim when Slack proves it did not post, so the next sweep sends', async () => {
    const { ledger } = setup();
    const l = ledger();
    const rateLimited = Object.assign(new Error('rate limited'), {
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
    expect(await l.sendOnce(['k'], 'U1', Date.now() + HOUR, async () => Promise.reject(rateLimited))).toBe(
      'retry',
    );
    expect(await l.isDone('k')).toBe(false);
    expect(await ledger().sendOnce(['k'], 'U1', Date.now() + HOUR, async () => undefined)).toBe('sent');
  });

  it('keeps the claim after a timeout or a maybe-posted error, and records a refusal so nothing loops', async () => {
    const { ledger } = setup();
    const timeout = Object.assign(new Error('aborted'), {
      code: 'slack_webapi_request_error',
      original: { name: 'TimeoutError' },
    });
    expect(await ledger().sendOnce(['t'], 'U1', Date.now() + HOUR, () => Promise.reject(timeout))).toBe(
      'unknown',
    );
    expect(await ledger().sendOnce(['t'], 'U1', Date.now() + HOUR, async () => undefined)).toBe('skipped');

    const gone = Object.assign(new Error('x'), {
      code: 'slack_webapi_platform_error',
      data: { error: 'account_inactive' },
    });
    expect(await ledger().sendOnce(['r'], 'U1', Date.now() + HOUR, () => Promise.reject(gone))).toBe(
      'refused',
    );
    expect(await ledger().isDone('r')).toBe(true);
  });

  it('owns only the keys not yet sent, and settles a reminder that needs no message', async () => {
    const { ledger } = setup();
    const l = ledger();
    await l.settle('due:U1:1:x', 'U1');
    const owned: string[][] = [];
    await l.sendOnce(['due:U1:1:x', 'due:U1:2:x'], 'U1', Date.now() + HOUR, async (keys) => {
      owned.push(keys);
    });
    expect(owned).toEqual([['due:U1:2:x']]);
  });
});

describe('classifySlackFailure', () => {
  const err = (fields: object) => Object.assign(new Error('x'), fields);
  it('retries only what was certainly not posted', () => {
    expect(classifySlackFailure(err({ code: 'slack_webapi_rate_limited_error', retryAfter: 3 }))).toBe(
      'retry',
    );
    expect(
      classifySlackFailure(err({ code: 'slack_webapi_platform_error', data: { error: 'ratelimited' } })),
    ).toBe('retry');
    expect(
      classifySlackFailure(
        err({ code: 'slack_webapi_request_error', original: { cause: { code: 'ECONNREFUSED' } } }),
      ),
    ).toBe('retry');
    expect(
      classifySlackFailure(
        err({ code: 'slack_webapi_request_error', original: { cause: { code: 'ECONNRESET' } } }),
      ),
    ).toBe('unknown');
    expect(classifySlackFailure(err({ code: 'slack_webapi_http_error', statusCode: 503 }))).toBe('unknown');
    expect(
      classifySlackFailure(err({ code: 'slack_webapi_platform_error', data: { error: 'internal_error' } })),
    ).toBe('unknown');
    expect(
      classifySlackFailure(err({ code: 'slack_webapi_platform_error', data: { error: 'invalid_blocks' } })),
    ).toBe('refused');
    expect(classifySlackFailure(new Error('surprise'))).toBe('unknown');
  });
});
