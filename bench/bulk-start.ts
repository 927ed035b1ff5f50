/**
 * The bench's fast bulk start: `processes` filler processes (start-filler.ts),
 * each an engine of its own starting its share of the instances through
 * `engine.startInstance` with `concurrency` in flight. The engine's start
 * batcher carries up to 64 starts in one round trip and runs up to 4 such
 * batches at once: 256 in flight fill them, 512 also keep the next batch
 * waiting while one commits.
 *
 * Measured on the 2-core machine (20,000 starts a run, 2026-12-04, with
 * group commit; the machine shared with other benchmarks, so the rates swing
 * with their load and the CPU per start is the steadier figure): from 64 to
 * 1,024 in flight a start costs about 0.4 ms of the filler's CPU and 0.35 ms
 * of Postgres's (750–1,800/s), at 16 in flight 0.45 + 0.6 ms (770/s). So the
 * rate is bound by the machine's two cores, not by round trips, and one
 * filler's thread and its Postgres backends fill them. A second filler
 * process does not pay: Postgres then spends 0.75–1 ms a start (670–1,400/s).
 * With the others' benchmarks paused, 1,000,000 starts took 377 s (2,655/s;
 * 0.29 + 0.36 ms a start).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { round } from './stats.js';

export interface BulkStart {
  count: number;
  /** Filler p uses the BullMQ prefix `<queuePrefix>-<p>`. */
  queuePrefix: string;
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

export async function bulkStart(databaseUrl: string, { count, queuePrefix, groups, processes, concurrency }: BulkStart): Promise<BulkStartResult> {
  const began = performance.now();
  const share = Math.ceil(count / processes);
  const shares = Array.from({ length: processes }, (_, p) => ({ first: p * share, count: Math.max(0, Math.min(share, count - p * share)), queuePrefix: `${queuePrefix}-${p}` })).filter((s) => s.count > 0);
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

function filler(databaseUrl: string, part: { first: number; count: number; queuePrefix: string; groups: number; concurrency: number }): Promise<FillerResult> {
  const child = fileURLToPath(new URL('./start-filler.ts', import.meta.url));
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    WEFT_QUEUE_PREFIX: part.queuePrefix,
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
