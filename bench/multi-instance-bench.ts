/**
 * `npm run bench:multi-instance [-- 100,1000,10000]`, against the real
 * Postgres and Redis: one instance runs a parallel multi-instance service
 * task over N items, each done by an in-process worker; prints the time per
 * item at each N, the ratio of the largest N's time per item to the
 * smallest's (issue #9 asks for ≤ 2), and the slowest job completion (an
 * upper bound on how long one command held the instance row's lock).
 * Jobs are taken and completed through the engine service directly, 20 at
 * a time, so the figures are the engine's and not a queue's.
 *
 * The last line printed is one JSON object with the figures. Uses a database
 * of its own (created and dropped) and a Redis prefix of its own.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { loadConfig } from '../engine/config.js';
import { startWeft } from '../engine/weft.js';
import { round } from './stats.js';
import { benchDatabaseUrl, dropDatabase } from './bench-support.js';

const SIZES = (process.argv[2] ?? process.env.BENCH_MI_SIZES ?? '100,1000,10000').split(',').map(Number);
const xml = readFileSync(new URL('./multi-instance.bpmn', import.meta.url), 'utf8');

async function run(n: number) {
  const base = loadConfig();
  const config = { ...base, databaseUrl: benchDatabaseUrl(base.databaseUrl, 'weft_mi'), queuePrefix: `weft-mi-${randomBytes(3).toString('hex')}`, port: 0 };
  const weft = await startWeft({ config, logger: pino({ level: 'warn' }), http: false, poolMax: 20 });
  try {
    await weft.engine.deploy([{ name: 'multi-instance.bpmn', content: xml }], 'bench');
    const started = performance.now();
    const { id } = await weft.engine.startInstance({ processId: 'bench-mi', variables: { items: Array.from({ length: n }, (_, i) => i) } }, 'bench');
    let slowest = 0;
    let done = 0;
    while (done < n) {
      const jobs = await weft.engine.activateJobs({ type: 'bench-mi-item', maxJobs: 200, workerId: 'bench', timeoutMs: 600_000 });
      if (jobs.length === 0) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      for (let i = 0; i < jobs.length; i += 20) {
        await Promise.all(
          jobs.slice(i, i + 20).map(async (job) => {
            const t0 = performance.now();
            await weft.engine.completeJob(job.key, { done: (job.variables as { item: number }).item * 2 }, 'bench');
            slowest = Math.max(slowest, performance.now() - t0);
          }),
        );
      }
      done += jobs.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const detail = await weft.engine.getInstance(id);
    const results = (detail.variables as { results?: number[] }).results ?? [];
    const correct = results.length === n && results.every((r, i) => r === i * 2);
    const state = (await weft.db('process_instances').where({ id }).first('status')).status;
    return { n, seconds: round(seconds), msPerItem: round((seconds * 1000) / n, 2), correct: correct && state === 'COMPLETED', slowestCompletionMs: round(slowest) };
  } finally {
    await weft.close();
    await dropDatabase(config.databaseUrl);
  }
}

const figures = [];
for (const n of SIZES) {
  const figure = await run(n);
  console.log(`  ${n} items: ${figure.seconds} s, ${figure.msPerItem} ms per item, slowest completion ${figure.slowestCompletionMs} ms, output collection ${figure.correct ? 'complete' : 'WRONG'}`);
  figures.push(figure);
}
const first = figures[0];
const last = figures[figures.length - 1];
console.log(JSON.stringify({ sizes: figures, perItemRatio: round(last.msPerItem / first.msPerItem) }));
