/**
 * The workload of `npm run bench`, shared by the single-engine run
 * (engine-bench.ts) and each engine process of `--engines N`
 * (bench-engine-process.ts, multi-engine-bench.ts): the process (start →
 * three service tasks → end), its workers, the wait for the instances'
 * completion and their latencies, read from Postgres, the truth.
 */
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import type { Weft } from '../engine/weft.js';
import type { WeftWorker } from '../engine/worker/create-worker.js';
import { percentile } from './stats.js';

export const PROCESS_ID = 'bench-three-tasks';
export const JOBS_PER_INSTANCE = 3;
/** Instances kept in flight: a new one starts whenever one reaches its last task (a closed loop). */
export const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 128);
export const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 32);
export const threeTasksXml = readFileSync(new URL('./three-tasks.bpmn', import.meta.url), 'utf8');

/**
 * A worker per job type (bench-1 … bench-3) on `weft`: each notes in
 * `pickedUp` when it got its job (for the dispatch latency), and the last one
 * calls `lastTask` (which starts the next instance of the closed loop).
 */
export function startBenchWorkers(weft: Weft, pickedUp: Map<string, number>, lastTask: () => void, workerId?: (type: string) => string): WeftWorker[] {
  const workers: WeftWorker[] = [];
  for (let i = 1; i <= JOBS_PER_INSTANCE; i++) {
    const type = `bench-${i}`;
    const worker = weft.worker(type, (job) => {
      pickedUp.set(job.key, Date.now());
      if (i === JOBS_PER_INSTANCE) lastTask();
      return { [`step${i}`]: true };
    }, { concurrency: WORKER_CONCURRENCY, ...(workerId ? { workerId: workerId(type) } : {}) });
    workers.push(worker);
  }
  return workers;
}

/** How long no instance may complete before the bench gives up (a lost start, a dead engine). */
const STALL_MS = 120_000;

/**
 * Waits until `n` instances are COMPLETED, polling every 10 ms and printing
 * progress every 5 s; throws what `failure()` returns as soon as it returns
 * something, and throws when nothing completed for two minutes.
 */
export async function waitForCompleted(db: Knex, n: number, failure: () => unknown): Promise<void> {
  let lastReport = performance.now();
  let lastCount = -1;
  let lastProgress = performance.now();
  for (;;) {
    const [{ count }] = await db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
    if (Number(count) >= n) return;
    const failed = failure();
    if (failed) throw failed;
    if (Number(count) !== lastCount) [lastCount, lastProgress] = [Number(count), performance.now()];
    if (performance.now() - lastProgress > STALL_MS) throw new Error(`no instance completed for ${STALL_MS / 1000} s: ${count}/${n} completed`);
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      console.log(`  … ${count}/${n} completed`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Start→end latency of every instance, and dispatch latency (job created →
 * a worker's handler got it) of every job in `pickedUp`, from Postgres.
 */
export async function latencyFigures(db: Knex, pickedUp: Map<string, number>) {
  const instances = await db('process_instances').select('created_at', 'ended_at');
  const latency = instances.map((r) => r.ended_at.getTime() - r.created_at.getTime());
  const jobs = await db('jobs').select('key', 'created_at');
  const dispatch = jobs.filter((j) => pickedUp.has(j.key)).map((j) => pickedUp.get(j.key)! - j.created_at.getTime());
  return { latencyP50: percentile(latency, 50), latencyP99: percentile(latency, 99), dispatchP50: percentile(dispatch, 50), dispatchP99: percentile(dispatch, 99) };
}
