/**
 * `npm run bench:ack`: how fast the bridge acknowledges Slack while Asana is slow, and how fast the
 * project picker answers in a large workspace. Slack gives up after 3 s; these numbers show the margin.
 * Everything runs on 127.0.0.1 against the fake servers, with dummy tokens.
 */
import { performance } from 'node:perf_hooks';
import { PROJECT_BLOCK, PROJECT_SELECT_ACTION } from '../src/ids';
import { W, eventually, startHarness } from '../test/helpers/bridge-harness';

const COMMANDS = 200;
const CONCURRENCY = 20;
const ASANA_LATENCY_MS = 2_000;
const PROJECTS = 5_000;
const PICKER_QUERIES = 200;

interface Stats {
  p50: number;
  p95: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

async function commandAcks(): Promise<{ acks: Stats; replies: Stats; wallMs: number }> {
  const h = await startHarness();
  try {
    h.asana.latencyMs = ASANA_LATENCY_MS;
    const acks: number[] = [];
    const replies: number[] = [];
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < COMMANDS) {
        const i = next++;
        const before = performance.now();
        const ack = await h.driver.command({ text: `create Bench task ${i} in Web App` });
        acks.push(ack.ms);
        const name = `Bench task ${i}`;
        await eventually(
          () => h.slack.responses().some((r) => String(r.body?.text ?? '').includes(`“${name}”`)),
          60_000,
        );
        replies.push(performance.now() - before);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return { acks: stats(acks), replies: stats(replies), wallMs: performance.now() - started };
  } finally {
    await h.close();
  }
}

async function pickerAnswers(): Promise<{ cold: number; warm: Stats }> {
  const h = await startHarness({
    seed: (asana) => {
      for (let i = 1; i <= PROJECTS; i++) {
        asana.addProject({ gid: String(1260000000000000 + i), name: `Project ${i}`, workspace: W });
      }
    },
  });
  try {
    h.bridge.directory.clear();
    const ask = (value: string) =>
      h.driver.blockSuggestion({ action_id: PROJECT_SELECT_ACTION, block_id: PROJECT_BLOCK, value });
    const cold = (await ask('Project 4999')).ms;
    await eventually(() => h.bridge.directory.hasProjects(W), 60_000);
    const warm: number[] = [];
    for (let i = 0; i < PICKER_QUERIES; i++) warm.push((await ask(`Project ${(i * 37) % PROJECTS}`)).ms);
    return { cold, warm: stats(warm) };
  } finally {
    await h.close();
  }
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const commands = await commandAcks();
  const picker = await pickerAnswers();
  console.log(`\n/asana create while every Asana response takes ${ASANA_LATENCY_MS} ms`);
  console.log(`${COMMANDS} commands, ${CONCURRENCY} at a time, over signed HTTP\n`);
  console.log('| Measure | p50 | p95 | max |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| ack | ${ms(commands.acks.p50)} | ${ms(commands.acks.p95)} | ${ms(commands.acks.max)} |`);
  console.log(
    `| reply at response_url | ${ms(commands.replies.p50)} | ${ms(commands.replies.p95)} | ${ms(commands.replies.max)} |`,
  );
  console.log(`\nProject picker in a workspace of ${PROJECTS} projects (${PROJECTS / 100} pages)\n`);
  console.log('| Measure | p50 | p95 | max |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| first query, cache empty (typeahead) | ${ms(picker.cold)} | | |`);
  console.log(
    `| ${PICKER_QUERIES} queries, list cached | ${ms(picker.warm.p50)} | ${ms(picker.warm.p95)} | ${ms(picker.warm.max)} |`,
  );
  console.log(`\nWall time for the commands: ${(commands.wallMs / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
