/**
 * The bare BullMQ round trip the engine is compared with: add a job, a worker
 * picks it up and finishes it. Same Redis, same run.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { percentile, pool } from './stats.js';

export interface BullmqFigures {
  jobs: number;
  jobsPerSec: number;
  dispatchP50: number;
  dispatchP99: number;
}

export async function bullmqBaseline(redisUrl: string, prefix: string, jobs: number, concurrency: number): Promise<BullmqFigures> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench-baseline', { connection, prefix });
  const dispatch: number[] = [];
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const worker = new Worker(
    'bench-baseline',
    async (job) => {
      dispatch.push(Date.now() - job.data.at);
      if (++done === jobs) resolveAll();
    },
    { connection, prefix, concurrency },
  );
  await worker.waitUntilReady();
  const started = performance.now();
  await pool(jobs, concurrency, async () => {
    await queue.add('job', { at: Date.now() }, { removeOnComplete: true });
  });
  await all;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
  return { jobs, jobsPerSec: jobs / seconds, dispatchP50: percentile(dispatch, 50), dispatchP99: percentile(dispatch, 99) };
}
