/**
 * The bench's fast bulk start: `processes` filler processes (start-filler.ts),
 * each an engine of its own starting its share of the instances through
 * `engine.startInstance` with `concurrency` in flight. The engine's start
 * batcher carries up to 64 starts in one round trip and runs up to 4 such
 * batches at once: 256 in flight fill them, 512 also keep the next batch
 * waiting while one commits.
 *
 * Measured on the 2-core machine (20,000 starts each, 2026-12-04, shared
 * with other benchmarks, so the rates swing with their load): a start costs
 * about 0.45 ms of the filler's CPU and 0.85–1 ms of Postgres's whatever the
 * concurrency (16 to 2,048 in flight), so the rate is the machine's CPU, not
 * round trips: 1 filler at 512 in flight reached 900–1,200/s, at 16 about
 * 660/s. A second filler process does not help: the one filler's thread is
 * not what is full, and two fillers' batches made Postgres spend 1.75 ms a
 * start (620/s).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { round } from './stats.js';

export interface BulkStart {
  count: number;
  /** Instances go round-robin to groups reviewers-0 … reviewers-(groups-1). */
  groups: number;
  processes: number;
  concurrency: number;
}

export interface BulkStartResult {
  started: number;
  seconds: number;
  perSecond: number;
  /** CPU per start in the filler processes, and in their Postgres backends (null: not readable here). */
  engineCpuMsPerStart: number;
  postgresCpuMsPerStart: number | null;
}

interface FillerResult {
  started: number;
  seconds: number;
  engineCpuMs: number;
  postgresCpuMs: number | null;
}

export async function bulkStart(databaseUrl: string, { count, groups, processes, concurrency }: BulkStart): Promise<BulkStartResult> {
  const began = performance.now();
  const share = Math.ceil(count / processes);
  const shares = Array.from({ length: processes }, (_, p) => ({ first: p * share, count: Math.max(0, Math.min(share, count - p * share)) })).filter((s) => s.count > 0);
  const results = await Promise.all(shares.map((s) => filler(databaseUrl, { ...s, groups, concurrency })));
  const started = results.reduce((sum, r) => sum + r.started, 0);
  const seconds = (performance.now() - began) / 1000;
  const postgresCpuMs = results.some((r) => r.postgresCpuMs === null) ? null : results.reduce((sum, r) => sum + r.postgresCpuMs!, 0);
  return {
    started,
    seconds,
    perSecond: Math.round(started / seconds),
    engineCpuMsPerStart: round(results.reduce((sum, r) => sum + r.engineCpuMs, 0) / started, 3),
    postgresCpuMsPerStart: postgresCpuMs === null ? null : round(postgresCpuMs / started, 3),
  };
}

function filler(databaseUrl: string, part: { first: number; count: number; groups: number; concurrency: number }): Promise<FillerResult> {
  const child = fileURLToPath(new URL('./start-filler.ts', import.meta.url));
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    WEFT_QUEUE_PREFIX: `weft-mem-fill-${randomBytes(3).toString('hex')}`,
    FILL_FIRST: String(part.first),
    FILL_COUNT: String(part.count),
    FILL_GROUPS: String(part.groups),
    FILL_CONCURRENCY: String(part.concurrency),
  };
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`start filler ${part.first} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}
