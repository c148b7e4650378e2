import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { RunningBridge, startBridge } from '../../src/app';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/logging/logger';
import { rapidRetryPolicy } from '../../src/services/asana/asana-gateway';
import { FakeAsanaServer } from '../fakes/fake-asana-server';
import { FakeSlackServer } from '../fakes/fake-slack-server';
import { SlackDriver } from './slack-driver';

/** Dummy credentials; the redaction tests look for exactly these strings in the captured logs. */
export const SECRETS = {
  botToken: 'xoxb-test-bot-token',
  appToken: 'xapp-test-app-token',
  signingSecret: 'test-signing-secret',
  asanaToken: 'test-asana-pat-1234567890',
} as const;

/** The seeded world: one Asana workspace and the Slack people who use it. */
export const W = '1100000000000001';
export const P_WEB = '1200000000000001';
export const P_ZETA = '1200000000000002';
export const P_DOCS = '1200000000000003';
export const S_BUGS = '1300000000000001';
export const A_REQ = '1400000000000001';
export const A_OTHER = '1400000000000002';
export const A_BRIDGE = '1400000000000009';

export interface Harness {
  asana: FakeAsanaServer;
  slack: FakeSlackServer;
  bridge: RunningBridge;
  driver: SlackDriver;
  /** Every log line written, rendered as it would reach stdout. */
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  mode?: 'http' | 'socket';
  /** Runs before the bridge starts: add projects, users or faults to the fakes. */
  seed?: (asana: FakeAsanaServer, slack: FakeSlackServer) => void;
  config?: (config: Config) => Config;
  asanaTimeouts?: { readMs?: number; writeMs?: number; reconcileDelaysMs?: number[] };
}

export function seedWorld(asana: FakeAsanaServer, slack: FakeSlackServer): void {
  asana.addWorkspace({ gid: W, name: 'Acme', is_organization: true });
  asana.addUser({ gid: A_BRIDGE, name: 'Asana Bridge', email: 'bridge@example.com', workspaces: [W] });
  asana.setMe(A_BRIDGE);
  asana.addUser({ gid: A_REQ, name: 'Req User', email: 'req@example.com', workspaces: [W] });
  asana.addUser({ gid: A_OTHER, name: 'Other User', email: 'other@example.com', workspaces: [W] });
  asana.addProject({ gid: P_WEB, name: 'Web App', workspace: W });
  asana.addProject({ gid: P_ZETA, name: 'Zeta Launch', workspace: W });
  asana.addProject({ gid: P_DOCS, name: 'Docs', workspace: W });
  asana.addSection({ gid: S_BUGS, name: 'Bugs', project: P_WEB });

  slack.addUser({
    id: 'U_REQ',
    name: 'req',
    display_name: 'Req User',
    email: 'req@example.com',
    tz: 'America/New_York',
  });
  slack.addUser({
    id: 'U_OTHER',
    name: 'other',
    display_name: 'Other User',
    email: 'other@example.com',
    tz: 'Europe/Berlin',
  });
  slack.addUser({ id: 'U_NOMAP', name: 'nomap', display_name: 'No Map', email: 'nobody@example.com' });
  slack.addUser({
    id: 'U_EXT',
    name: 'guest',
    display_name: 'Guest',
    team_id: 'T_ELSEWHERE',
    is_stranger: true,
  });
  slack.addChannel({ id: 'C_GEN', name: 'general', is_member: true });
}

/** Starts the fakes, seeds them, and starts the real bridge against them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const asana = await FakeAsanaServer.start({ token: SECRETS.asanaToken });
  const slack = await FakeSlackServer.start();
  seedWorld(asana, slack);
  options.seed?.(asana, slack);

  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({
    level: 'debug',
    secrets: Object.values(SECRETS),
    json: true,
    transports: [new winston.transports.Stream({ stream })],
  });

  const mode = options.mode ?? 'http';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-data-'));
  const base: Config = {
    slack: {
      botToken: SECRETS.botToken,
      signingSecret: mode === 'http' ? SECRETS.signingSecret : undefined,
      appToken: mode === 'socket' ? SECRETS.appToken : undefined,
      apiUrl: slack.apiUrl,
      mode,
    },
    asana: { accessToken: SECRETS.asanaToken, baseUrl: asana.basePath, rateLimitPerMinute: 1500 },
    port: 0,
    logLevel: 'debug',
    dataDir,
  };
  const config = options.config ? options.config(base) : base;

  let bridge: RunningBridge;
  try {
    bridge = await startBridge(config, {
      logger,
      listenHost: '127.0.0.1',
      slackClientOptions: { retryConfig: { retries: 0 } },
      asanaRetryPolicy: rapidRetryPolicy,
      // No reminder sweeps behind these tests' backs: a sweep near 09:00 somewhere would add DMs and reads.
      reminders: { timer: false },
      // Lost creates are looked for over milliseconds, not the production forty seconds.
      asanaTimeouts: { reconcileDelaysMs: [0, 50, 150], ...options.asanaTimeouts },
    });
  } catch (error) {
    await Promise.all([asana.close(), slack.close()]);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const driver =
    mode === 'http'
      ? new SlackDriver({
          appUrl: `http://127.0.0.1:${bridge.port}/slack/events`,
          signingSecret: SECRETS.signingSecret,
          slack,
        })
      : new SlackDriver({ slack, socketMode: true });
  if (mode === 'socket') await slack.socketConnected();

  return {
    asana,
    slack,
    bridge,
    driver,
    logs,
    async close() {
      await bridge.stop().catch(() => undefined);
      await Promise.all([asana.close(), slack.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `predicate` holds; async replies arrive after the ack. */
export async function eventually(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
