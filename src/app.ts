import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from 'winston';
import type { Config } from './config';
import { AsanaUnauthorizedError, ConfigError } from './errors';
import { registerListeners } from './listeners';
import { createBoltLogger } from './logging/bolt-logger';
import { createLogger } from './logging/logger';
import { AccessPolicy } from './services/access-policy';
import { AsanaDirectory } from './services/asana/asana-directory';
import { AsanaGateway, RetryPolicy } from './services/asana/asana-gateway';
import { TaskService } from './services/asana/task-service';
import { DraftStore } from './services/draft-store';
import { People } from './services/people';
import { logFailure } from './services/error-reporting';
import { SlackUsers } from './services/slack/slack-users';
import { SqliteStore } from './store/sqlite-store';
import type { Store } from './store/store';
import { TaskCreator } from './services/task-creator';
import { TaskViews } from './services/task-views';
import { type Clock, systemClock } from './clock';
import { type ReminderOptions, Reminders } from './reminders/reminders';

export interface BridgeOptions {
  /** A logger to use instead of building one from the config (tests capture lines this way). */
  logger?: Logger;
  /** Extra Slack Web API client options, e.g. no retries in tests. */
  slackClientOptions?: Partial<WebClientOptions>;
  asanaRetryPolicy?: RetryPolicy;
  /** Asana timeouts in ms, shorter in tests of slow-Asana paths. */
  asanaTimeouts?: { readMs?: number; writeMs?: number; reconcileDelaysMs?: number[] };
  /** Interface for HTTP mode to listen on; all interfaces when unset (tests pass 127.0.0.1). */
  listenHost?: string;
  /** Time for reminders, store claims and the Asana limiter; tests pass a virtual clock. Real time by default. */
  clock?: Clock;
  /** Reminder tuning; tests turn the every-minute timer off and drive sweeps with `reminders.runOnce()`. */
  reminders?: Partial<ReminderOptions>;
}

export interface RunningBridge {
  app: App;
  logger: Logger;
  workspaceGid: string;
  teamId: string;
  /** The HTTP port in HTTP mode (useful with PORT=0); undefined in Socket Mode. */
  port: number | undefined;
  directory: AsanaDirectory;
  store: Store;
  reminders: Reminders;
  stop(): Promise<void>;
}

/**
 * The composition root: config -> logger -> Asana services -> Slack app -> listeners. Resolves the Asana
 * workspace and the Slack team before it accepts requests, so a wrong token stops start-up with one
 * clear line instead of failing the first person who types a command.
 */
export async function startBridge(config: Config, options: BridgeOptions = {}): Promise<RunningBridge> {
  const secrets = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.asana.accessToken,
  ];
  const logger =
    options.logger ??
    createLogger({ level: config.logLevel, secrets: secrets.filter((s): s is string => !!s) });

  const gateway = new AsanaGateway({
    accessToken: config.asana.accessToken,
    baseUrl: config.asana.baseUrl,
    perMinute: config.asana.rateLimitPerMinute,
    logger,
    retryPolicy: options.asanaRetryPolicy,
    readTimeoutMs: options.asanaTimeouts?.readMs,
    writeTimeoutMs: options.asanaTimeouts?.writeMs,
    clock: options.clock,
  });
  const directory = new AsanaDirectory(gateway, logger);
  const workspaceGid = await resolveWorkspace(directory, config.asana.workspaceGid);

  const clientOptions: WebClientOptions = {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    ...options.slackClientOptions,
  };
  const boltLogger = createBoltLogger(logger);
  const app = new App({
    token: config.slack.botToken,
    logger: boltLogger,
    logLevel: LogLevel[config.logLevel.toUpperCase() as keyof typeof LogLevel],
    clientOptions,
    ...(config.slack.mode === 'socket'
      ? // Socket Mode's own client (apps.connections.open) reads its options from installerOptions.
        { socketMode: true, appToken: config.slack.appToken, installerOptions: { clientOptions } }
      : { signingSecret: config.slack.signingSecret }),
  });

  const { teamId, enterpriseId } = await resolveTeam(app);
  const clock = options.clock ?? systemClock;
  const now = () => new Date(clock.now());
  const store = SqliteStore.open({ dataDir: config.dataDir, now });
  const users = new SlackUsers(
    app.client,
    () => teamId,
    () => enterpriseId,
  );
  const tasks = new TaskService(gateway, logger, options.asanaTimeouts?.reconcileDelaysMs);
  const people = new People(users, directory, store, workspaceGid, logger, now);
  const reminders = new Reminders({
    store,
    users,
    people,
    gateway,
    tasks,
    workspaceGid,
    perMinute: config.asana.rateLimitPerMinute,
    slack: { token: config.slack.botToken, clientOptions, logger: boltLogger },
    clock,
    logger,
    options: options.reminders,
  });
  registerListeners(app, {
    access: new AccessPolicy(
      users,
      () => teamId,
      (profile) => reminders.noteActivity(profile),
    ),
    creator: new TaskCreator({ tasks, directory, users, people, store, workspaceGid, logger, now }),
    directory,
    users,
    drafts: new DraftStore(store, logger),
    store,
    tasks,
    people,
    views: new TaskViews(tasks, people, workspaceGid),
    workspaceGid,
    logger,
    reminders,
  });
  app.error(async (error) => {
    logFailure(logger.child({ component: 'bolt' }), error.original ?? error, 'handle a Slack request');
  });

  const host = options.listenHost ?? config.host;
  const started =
    config.slack.mode === 'socket'
      ? await app.start()
      : await app.start(host ? { port: config.port, host } : config.port);
  const port = config.slack.mode === 'http' ? ((started as Server).address() as AddressInfo).port : undefined;
  logger.info('bridge started', { mode: config.slack.mode, port, team: teamId, workspaceGid });
  // Load the project list now, so the first picker and `in <project>` answer from memory.
  directory.projects(workspaceGid).catch((error) => logFailure(logger, error, 'preload projects'));
  reminders.start();

  return {
    app,
    logger,
    workspaceGid,
    teamId,
    port,
    directory,
    store,
    reminders,
    async stop() {
      // Reminders first: a sweep in flight finishes its sends while Slack and the store are still there.
      await reminders.stop();
      await app.stop();
      await store.close();
    },
  };
}

/** The configured workspace, or the only one the PAT sees; several and none configured is an error. */
async function resolveWorkspace(directory: AsanaDirectory, configured: string | undefined): Promise<string> {
  let workspaces;
  try {
    workspaces = await directory.workspaces();
  } catch (error) {
    if (error instanceof AsanaUnauthorizedError) {
      throw new ConfigError([
        {
          variable: 'ASANA_ACCESS_TOKEN',
          message:
            'Asana rejected this token. In Asana open My settings > Apps > Manage Developer Apps (https://app.asana.com/0/my-apps) and create a personal access token.',
        },
      ]);
    }
    throw error;
  }
  const list = workspaces.map((w) => `${w.gid} (${w.name})`).join(', ');
  if (configured) {
    if (workspaces.some((w) => w.gid === configured)) return configured;
    throw new ConfigError([
      {
        variable: 'ASANA_WORKSPACE_GID',
        message: `the token cannot see workspace ${configured}. It sees: ${list || 'none'}.`,
      },
    ]);
  }
  if (workspaces.length === 1) return workspaces[0].gid;
  if (workspaces.length === 0) {
    throw new ConfigError([
      { variable: 'ASANA_ACCESS_TOKEN', message: "the token's Asana user belongs to no workspace." },
    ]);
  }
  throw new ConfigError([
    {
      variable: 'ASANA_WORKSPACE_GID',
      message: `the token sees several workspaces; set this to one of: ${list}.`,
    },
  ]);
}

/** The Slack team the bot is installed in, from auth.test; requests from any other team are refused. */
async function resolveTeam(app: App): Promise<{ teamId: string; enterpriseId?: string }> {
  try {
    const auth = await app.client.auth.test();
    if (!auth.team_id) throw new Error('auth.test returned no team_id');
    return { teamId: auth.team_id, enterpriseId: auth.enterprise_id || undefined };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (
      code === 'invalid_auth' ||
      code === 'not_authed' ||
      code === 'account_inactive' ||
      code === 'token_revoked'
    ) {
      throw new ConfigError([
        {
          variable: 'SLACK_BOT_TOKEN',
          message: `Slack rejected this token (${code}). Copy the Bot User OAuth Token from your app's OAuth & Permissions page.`,
        },
      ]);
    }
    throw error;
  }
}
