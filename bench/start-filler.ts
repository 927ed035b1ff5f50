/**
 * Child of bulk-start.ts: one engine process (no HTTP, no background loops)
 * on DATABASE_URL that starts FILL_COUNT instances of `bench-waiting` through
 * `engine.startInstance`, FILL_CONCURRENCY at once, each in group
 * `reviewers-<i mod FILL_GROUPS>` (i counted from FILL_FIRST). Every start is
 * a real engine start: the step, the instance, its task, its audit. Prints a
 * progress line to stderr now and then, and last what it did as JSON: how
 * many, how long, and the CPU time it and its Postgres backends spent.
 */
import { pino } from 'pino';
import { loadConfig } from '../engine/config.js';
import { startWeft } from '../engine/weft.js';
import { pool } from './stats.js';
import { backendCpu } from './backend-cpu.js';

const count = Number(process.env.FILL_COUNT);
const concurrency = Number(process.env.FILL_CONCURRENCY ?? 256);
const first = Number(process.env.FILL_FIRST ?? 0);
const groups = Number(process.env.FILL_GROUPS ?? 1);
const PROGRESS_EVERY = 100_000;

// Pool: the start batcher holds up to 4 connections; the rest are headroom for the after-commit work.
const weft = await startWeft({ config: { ...loadConfig(), port: 0 }, logger: pino({ level: 'warn' }), http: false, migrate: false, background: false, features: false, poolMax: 8 });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const postgresCpu = backendCpu(weft.db);
let done = 0;
await pool(count, concurrency, async (i) => {
  const n = first + i;
  await weft.engine.startInstance({ processId: 'bench-waiting', variables: { amount: n, group: `reviewers-${n % groups}`, note: 'waiting for review' } }, 'bench');
  if (++done % PROGRESS_EVERY === 0) console.error(`  filler ${first}: ${done} started, ${Math.round(done / ((performance.now() - started) / 1000))}/s`);
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const postgresCpuMs = await postgresCpu();
await weft.close();
console.log(JSON.stringify({ started: count, seconds, engineCpuMs: (cpu.user + cpu.system) / 1000, postgresCpuMs }));
process.exit(0);
