/**
 * When the instance an agent works for ends (canceled, terminated) while the
 * agent waits for a person, the person's approval or review task has nothing
 * left to decide: cancel the review instance, so the inbox does not keep it
 * (the run was closed as CANCELED with its job, agent-run-states.ts). Run by
 * the agents feature every few seconds.
 */
import type { Knex } from 'knex';
import type { EngineApi } from '../../engine/service/types.js';

export async function cancelOrphanedReviews(db: Knex, engine: Pick<EngineApi, 'cancelInstance'>, limit = 100): Promise<number> {
  const { rows } = await db.raw(
    `SELECT r.id AS run_id, review.id AS review_id
       FROM agent_runs r
       JOIN jobs j ON j.key = r.job_key
       JOIN agent_run_steps s ON s.job_key = r.job_key AND s.kind IN ('approval', 'review')
       JOIN process_instances review ON review.id = (s.payload->>'reviewInstanceId')::uuid
      WHERE r.status IN ('WAITING', 'CANCELED') AND j.state = 'CANCELED' AND review.status = 'ACTIVE'
      LIMIT ?`,
    [limit],
  );
  for (const row of rows as { run_id: string; review_id: string }[]) {
    await engine.cancelInstance(row.review_id, 'engine').catch((error: { code?: string }) => {
      // Decided or canceled meanwhile: nothing left to do for it.
      if (error.code !== 'INSTANCE_NOT_ACTIVE') throw error;
    });
  }
  return rows.length;
}
