/**
 * `npm run bench`: the bridge's benchmarks. Each runs against local fake servers on 127.0.0.1 only.
 * Pass `--people N` to change the crowd size (default 1000).
 */
import { benchReminderSweep, formatSweepTable } from './reminder-sweep';

async function main(): Promise<void> {
  const index = process.argv.indexOf('--people');
  const people = index > 0 ? Number(process.argv[index + 1]) : 1000;
  const results = [];
  for (const rateLimitPerMinute of [1500, 150]) {
    results.push(...(await benchReminderSweep({ people, tasksPerPerson: 10, rateLimitPerMinute })));
  }
  console.log(
    '\nReminder sweep: requests per sweep against the floor (one paged read per 100 open tasks per person)\n',
  );
  console.log(formatSweepTable(results));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
