import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { type BridgeOptions, type RunningBridge, startBridge } from '../../src/app';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/logging/logger';
import type { ReminderOptions } from '../../src/reminders/reminders';
import { type RetryPolicy, rapidRetryPolicy } from '../../src/services/asana/asana-gateway';
import { FakeAsanaServer } from '../fakes/fake-asana-server';
import { FakeSlackServer } from '../fakes/fake-slack-server';
import { SECRETS, W, seedWorld } from '../helpers/bridge-harness';
import { SlackDriver } from '../helpers/slack-driver';
import { VirtualClock } from './virtual-clock';

/**
 * The bridge against the fakes, like test/helpers/bridge-harness.ts, but on a virtual clock with the
 * reminder timer off (tests call `runAt`), and restartable on the same data directory, which is what
 * the restart tests need. Everything listens on 127.0.0.1 only; the tokens are dummies.
 */
export interface ReminderHarness {
  asana: FakeAsanaServer;
  slack: FakeSlackServer;
  clock: VirtualClock;
  bridge: RunningBridge;
  driver: SlackDriver;
  logs: string[];
  /** Virtual time at which the fake Asana received each request, in order. */
  asanaTimes: number[];
  /** Moves the clock to `at` (if not already past it), sweeps, and waits for everything it set off. */
  runAt(at: string | number): Promise<void>;
  /**
   * Sweeps at every virtual minute from `from` to `to` as the croner timer would: reads queued by one
   * sweep keep going (moving the clock as they pace) while the next minute's sweep runs. Stops early
   * once `done()` holds, then waits for what is in flight.
   */
  tickEveryMinute(from: number, to: number, done?: () => boolean): Promise<void>;
  /** DMs posted by reminders (chat.postMessage to a user id), optionally to one person. */
  dms(user?: string): Array<{ channel: string; ts: string; text: string; blocks: any[]; at: number }>;
  /** A second bridge on the same store and fakes, as a second process would be; closed with the harness. */
  twin(): Promise<RunningBridge>;
  /** Stops the bridge as a deploy would and starts a new one on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface ReminderHarnessOptions {
  start: string;
  seed?: (asana: FakeAsanaServer, slack: FakeSlackServer) => void;
  rateLimitPerMinute?: number;
  reminders?: Partial<ReminderOptions>;
  retryPolicy?: RetryPolicy;
  /** 'debug' by default; the benchmark turns it down so it measures reminders, not logging. */
  logLevel?: Config['logLevel'];
}

export async function startReminderHarness(options: ReminderHarnessOptions): Promise<ReminderHarness> {
  const clock = new VirtualClock(options.start);
  const asana = await FakeAsanaServer.start({ token: SECRETS.asanaToken });
  const slack = await FakeSlackServer.start({ now: () => clock.now() });
  seedWorld(asana, slack);
  options.seed?.(asana, slack);
  const asanaTimes: number[] = [];
  const push = asana.requests.push.bind(asana.requests);
  asana.requests.push = (...items) => {
    for (let i = 0; i < items.length; i++) asanaTimes.push(clock.now());
    return push(...items);
  };

  const logs: string[] = [];
  const logger = createLogger({
    level: options.logLevel ?? 'debug',
    secrets: Object.values(SECRETS),
    json: true,
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk, _encoding, done) {
            logs.push(String(chunk));
            done();
          },
        }),
      }),
    ],
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-reminders-'));
  const config: Config = {
    slack: {
      botToken: SECRETS.botToken,
      signingSecret: SECRETS.signingSecret,
      apiUrl: slack.apiUrl,
      mode: 'http',
    },
    asana: {
      accessToken: SECRETS.asanaToken,
      baseUrl: asana.basePath,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 1500,
    },
    port: 0,
    logLevel: options.logLevel ?? 'debug',
    dataDir,
  };
  const bridgeOptions: BridgeOptions = {
    logger,
    listenHost: '127.0.0.1',
    slackClientOptions: { retryConfig: { retries: 0 } },
    asanaRetryPolicy: options.retryPolicy ?? rapidRetryPolicy,
    clock,
    reminders: { timer: false, ...options.reminders },
  };

  const start = async () => {
    const bridge = await startBridge(config, bridgeOptions);
    const driver = new SlackDriver({
      appUrl: `http://127.0.0.1:${bridge.port}/slack/events`,
      signingSecret: SECRETS.signingSecret,
      slack,
    });
    return { bridge, driver };
  };
  let running: { bridge: RunningBridge; driver: SlackDriver };
  const twins: RunningBridge[] = [];
  try {
    running = await start();
  } catch (error) {
    await Promise.all([asana.close(), slack.close()]);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const harness: ReminderHarness = {
    asana,
    slack,
    clock,
    bridge: running.bridge,
    driver: running.driver,
    logs,
    asanaTimes,
    async runAt(at) {
      clock.advanceTo(at);
      await harness.bridge.reminders.runOnce();
    },
    async tickEveryMinute(from, to, done) {
      const { sweeper } = harness.bridge.reminders;
      clock.advanceTo(from);
      for (let t = from; t <= to; t += 60_000) {
        if (clock.now() < t) {
          await Promise.race([sweeper.idle(), clock.until(t)]);
          clock.advanceTo(t);
        }
        await sweeper.tick();
        if (done?.()) break;
      }
      await sweeper.idle();
    },
    dms(user) {
      return slack
        .callsTo('chat.postMessage')
        .filter((c) => c.response?.ok && /^U/.test(String(c.args.channel)))
        .filter((c) => user === undefined || c.args.channel === user)
        .map((c) => ({
          channel: c.response.channel,
          ts: c.response.ts,
          text: c.args.text,
          blocks: c.args.blocks ?? [],
          at: c.at,
        }));
    },
    async restart() {
      await harness.bridge.stop();
      running = await start();
      harness.bridge = running.bridge;
      harness.driver = running.driver;
    },
    async twin() {
      const twin = await startBridge(config, bridgeOptions);
      twins.push(twin);
      return twin;
    },
    async close() {
      for (const twin of twins) await twin.stop().catch(() => undefined);
      await harness.bridge.stop().catch(() => undefined);
      await Promise.all([asana.close(), slack.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Enrolls people as if they had used the bot, without going through Slack. */
export async function enroll(
  harness: ReminderHarness,
  people: Array<{ user: string; time?: string; beforeMinutes?: number; timeZone: string }>,
  optedInAt = '2026-01-01T00:00:00Z',
): Promise<void> {
  for (const p of people) {
    await harness.bridge.store.saveReminderSettings({
      slackUserId: p.user,
      enabled: true,
      time: p.time ?? '09:00',
      beforeMinutes: p.beforeMinutes ?? 30,
      timeZone: p.timeZone,
      optedInAt,
      updatedAt: optedInAt,
    });
  }
}

/** A Slack person with a matching Asana user (by email) and their tasks; one long-overdue task by default. */
export function addPerson(
  asana: FakeAsanaServer,
  slack: FakeSlackServer,
  p: {
    id: string;
    gid: string;
    tz: string;
    tasks?: Array<{ name: string; due_on?: string; due_at?: string; completed?: boolean }>;
  },
): void {
  const email = `${p.id.toLowerCase()}@example.com`;
  asana.addUser({ gid: p.gid, name: p.id, email, workspaces: [W] });
  slack.addUser({ id: p.id, name: p.id.toLowerCase(), display_name: p.id, email, tz: p.tz });
  for (const task of p.tasks ?? [{ name: `Overdue report for ${p.id}`, due_on: '2026-03-01' }]) {
    asana.addTask({ workspace: W, assignee: p.gid, ...task });
  }
}
