/**
 * Handing jobs to workers outside the instance's lock: a REST worker's
 * batch activation (one UPDATE … SKIP LOCKED over the jobs table, which
 * holds no instance state), and waking a job out of its retry backoff.
 */
import type { ActivatedJob } from './types.js';
import { activatedJob } from './command-path.js';
import { queueForJobType } from '../queue/routing.js';
import type { EngineServiceDeps } from './engine-service.js';

export interface ActivationRequest {
  type: string;
  maxJobs: number;
  workerId: string;
  timeoutMs: number;
}

export async function activateJobs(deps: Pick<EngineServiceDeps, 'db' | 'metrics'>, req: ActivationRequest): Promise<ActivatedJob[]> {
  const { db } = deps;
  const rows = await db('jobs')
    .whereIn('key', (q) =>
      q
        .select('key')
        .from('jobs')
        .where({ type: req.type })
        .andWhere((w) =>
          w.where((a) => a.where({ state: 'ACTIVATABLE' }).andWhere('available_at', '<=', db.fn.now())).orWhere((b) => b.where({ state: 'ACTIVATED' }).andWhere('deadline', '<', db.fn.now())),
        )
        .orderBy('available_at')
        .limit(req.maxJobs)
        .forUpdate()
        .skipLocked(),
    )
    .update({ state: 'ACTIVATED', worker_id: req.workerId, deadline: db.raw(`now() + (? || ' milliseconds')::interval`, [String(req.timeoutMs)]), updated_at: db.fn.now() })
    .returning('*');
  // Timed from when each job became available; a job handed out again after a missed deadline is timed so too
  // (this UPDATE does not see the state it replaced; the SDK's path, CommandPath.activateBatch, does).
  const metrics = deps.metrics;
  if (metrics) {
    const now = Date.now();
    for (const r of rows) metrics.jobActivated(r.type, Math.max(0, (now - new Date(r.available_at).getTime()) / 1000));
  }
  return rows.map(activatedJob);
}

/**
 * Hands a job that waits out a retry backoff to its workers now — the
 * decision it waited for has arrived. Changes no instance state (the job is
 * ACTIVATABLE either way), so it takes no instance lock; the earlier, delayed
 * dispatch finds the job gone or taken when it fires. False when the job is
 * not waiting.
 */
export async function wakeJob(deps: Pick<EngineServiceDeps, 'db' | 'relay' | 'logger'>, jobKey: string): Promise<boolean> {
  const { rows } = await deps.db.raw(
    `UPDATE jobs SET available_at = now(), dispatch_id = gen_random_uuid(), updated_at = now()
      WHERE key = ? AND state = 'ACTIVATABLE' AND available_at > now()
      RETURNING key, type, dispatch_id, available_at`,
    [jobKey],
  );
  if (rows.length === 0) return false;
  const [row] = rows;
  // Not through the outbox: if this dispatch is lost (Redis down), the redriver finds the job missing from
  // BullMQ and sends it; the wake itself is committed, so it is not the caller's error.
  try {
    await deps.relay.relay([{ id: row.dispatch_id, queue: queueForJobType(row.type), payload: { jobKey: row.key }, availableAt: row.available_at }]);
  } catch (error) {
    deps.logger.warn({ err: error, jobKey }, 'waking a job: dispatch failed; the redriver will send it');
  }
  return true;
}
