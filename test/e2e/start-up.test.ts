import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeAsanaServer } from '../fakes/fake-asana-server';
import { FakeSlackServer } from '../fakes/fake-slack-server';
import { SECRETS, seedWorld } from '../helpers/bridge-harness';
import { SlackDriver } from '../helpers/slack-driver';

const ENTRY = path.resolve(__dirname, '../../src/index.ts');

/** Runs the real entry point (as `npm start` does, minus the compile) in an empty directory. */
function runEntry(env: Record<string, string>, cwd: string): ChildProcess & { output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), ENTRY], {
    cwd,
    // Only what the test gives: no SLACK_* or ASANA_* from the machine running the tests.
    env: {
      PATH: process.env.PATH ?? '',
      TS_NODE_PROJECT: path.resolve(__dirname, '../../tsconfig.json'),
      ...env,
    },
  });
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  return Object.assign(child, { output: () => output });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('start-up', () => {
  let cwd: string;

  beforeEach(() => {
    cwd = mkdtempSync(path.join(tmpdir(), 'bridge-start-'));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it('with no configuration lists what to set and exits non-zero, without a stack trace', async () => {
    const child = runEntry({}, cwd);

    expect(await exitOf(child)).toBe(1);
    const output = child.output();
    for (const variable of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'ASANA_ACCESS_TOKEN']) {
      expect(output).toContain(variable);
    }
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('with the fakes’ URLs and dummy tokens from .env, starts and serves a command', async () => {
    const asana = await FakeAsanaServer.start({ token: SECRETS.asanaToken });
    const slack = await FakeSlackServer.start();
    seedWorld(asana, slack);
    const port = await freePort();
    writeFileSync(
      path.join(cwd, '.env'),
      [
        `SLACK_BOT_TOKEN=${SECRETS.botToken}`,
        `SLACK_SIGNING_SECRET=${SECRETS.signingSecret}`,
        `ASANA_ACCESS_TOKEN=${SECRETS.asanaToken}`,
        `SLACK_API_URL=${slack.apiUrl}`,
        `ASANA_BASE_URL=${asana.basePath}`,
        `PORT=${port}`,
        'HOST=127.0.0.1',
      ].join('\n'),
    );
    const child = runEntry({}, cwd);
    try {
      await waitFor(() => child.output().includes('bridge started') || child.exitCode !== null, 20_000);
      expect(child.output()).toContain('bridge started');

      const driver = new SlackDriver({
        appUrl: `http://127.0.0.1:${port}/slack/events`,
        signingSecret: SECRETS.signingSecret,
        slack,
      });
      await driver.command({ text: 'create Started from npm start' });
      await waitFor(() => slack.responses().length > 0, 10_000);
      expect(asana.tasks().map((t) => t.name)).toContain('Started from npm start');
      for (const secret of Object.values(SECRETS)) expect(child.output()).not.toContain(secret);
    } finally {
      child.kill('SIGTERM');
      await exitOf(child);
      await Promise.all([asana.close(), slack.close()]);
    }
  });
});

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
