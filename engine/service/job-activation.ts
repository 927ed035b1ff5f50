/**
 * Handing jobs to workers outside the instance's lock: a REST worker's
 * batch activation (one UPDATE … SKIP LOCKED over the jobs table, which
 * holds no instance state), and waking a job out of its retry backoff.
 */
import type { ActivatedJob } from './types.js';
import type { BatchItem } from './micro-batcher.js';
import { queueForJobType } from '../queue/routing.js';
import { sized } from '../persistence/sized-rows.js';
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

/** Hands out the jobs asked for together (workers' pickups), in one UPDATE. */
export async function activateBatch(deps: Pick<EngineServiceDeps, 'db' | 'metrics'>, batch: BatchItem<{ jobKey: string; workerId: string; timeoutMs: number }, ActivatedJob | null>[]): Promise<void> {
  // A key asked for twice in one batch goes to the first asker only.
  const first = new Map<string, (typeof batch)[number]>();
  for (const item of batch) if (!first.has(item.input.jobKey)) first.set(item.input.jobKey, item);
  const wanted = [...first.values()].map((i) => ({ key: i.input.jobKey, worker_id: i.input.workerId, timeout_ms: i.input.timeoutMs }));
  // `prior` is the row as it was (the target's columns in RETURNING are the new ones): only a first hand-out
  // after the job became available is a dispatch; one after a missed deadline is not timed.
  const { rows } = await deps.db.raw(
    `UPDATE jobs j SET state = 'ACTIVATED', worker_id = x.worker_id, deadline = now() + x.timeout_ms * interval '1 millisecond', updated_at = now()
       FROM ${sized('SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(key uuid, worker_id text, timeout_ms bigint)', wanted.length)} x, jobs prior
      WHERE j.key = x.key AND prior.key = x.key
        AND ((j.state = 'ACTIVATABLE' AND j.available_at <= now()) OR (j.state = 'ACTIVATED' AND j.deadline < now()))
      RETURNING j.*, CASE WHEN prior.state = 'ACTIVATABLE' THEN extract(epoch FROM clock_timestamp() - j.available_at)::float8 END AS waited_seconds`,
    [JSON.stringify(wanted)],
  );
  const metrics = deps.metrics;
  if (metrics) for (const r of rows) if (r.waited_seconds !== null) metrics.jobActivated(r.type, Math.max(0, r.waited_seconds));
  const activated = new Map<string, ActivatedJob>(rows.map((r: Record<string, unknown>) => [r.key as string, activatedJob(r)]));
  for (const item of batch) item.resolve(first.get(item.input.jobKey) === item ? (activated.get(item.input.jobKey) ?? null) : null);
}

export function activatedJob(row: Record<string, any>): ActivatedJob {
  return {
    key: row.key,
    type: row.type,
    processInstanceId: row.process_instance_id,
    processId: row.process_id,
    elementId: row.element_id,
    variables: row.variables,
    headers: row.headers,
    retries: row.retries,
    deadline: new Date(row.deadline).toISOString(),
  };
}
