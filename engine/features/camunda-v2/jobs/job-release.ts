/**
 * Handing jobs back: an activation whose client went away before it got the
 * answer. The inverse of EngineService.activateJobs' UPDATE (activation
 * changes no instance state, so neither does this): the job is ACTIVATABLE
 * again at once, with its retries, for the next poll.
 */
import type { Knex } from 'knex';

export async function releaseJobs(db: Knex, keys: string[], workerId: string): Promise<number> {
  if (keys.length === 0) return 0;
  return db('jobs')
    .whereIn('key', keys)
    .andWhere({ state: 'ACTIVATED', worker_id: workerId })
    .update({ state: 'ACTIVATABLE', worker_id: null, deadline: null, updated_at: db.fn.now() });
}
