import path from 'node:path';
import { startBridge } from './app';
import { loadConfig, readDotEnv } from './config';
import { ConfigError } from './errors';
import { describeError } from './services/error-reporting';

/**
 * Entry point for `npm start`: settings problems end the process with one line per problem and no stack
 * trace; SIGINT/SIGTERM stop the app cleanly so in-flight replies can finish.
 */
async function main(): Promise<void> {
  readDotEnv(path.resolve(process.cwd(), '.env'));
  const config = loadConfig(process.env);
  const bridge = await startBridge(config);

  // SIGINT then SIGTERM (a terminal, then a supervisor) must not stop the bridge twice at once.
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    bridge.logger.info('stopping', { signal });
    stopping ??= bridge.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // A stray rejection is a bug to log, not a reason to stop serving everyone else.
  process.on('unhandledRejection', (reason) => {
    bridge.logger.error('unhandled rejection', {
      code: 'asana_bridge_unknown_error',
      error: reason,
      hint: 'a bug: please report it with this line',
    });
  });
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write('The bridge cannot start. Fix these settings (in the environment or .env):\n');
    for (const problem of error.problems)
      process.stderr.write(`  - ${problem.variable}: ${problem.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    const hint = describeError(error, 'start').operatorHint;
    process.stderr.write(`The bridge stopped while starting: ${message}${hint ? `\n  Hint: ${hint}` : ''}\n`);
  }
  process.exit(1);
});
