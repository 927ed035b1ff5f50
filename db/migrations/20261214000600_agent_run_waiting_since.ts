import type { Knex } from 'knex';

/**
 * Since when a waiting agent run waits (the live agent view): a wait for the
 * kill switch is re-checked on every wake (each attempt takes the job, which
 * makes the run RUNNING and moves `updated_at`, then waits again), so
 * `updated_at` says when it was last checked, not since when it is held.
 * `waiting_since` is written with the WAITING state (AgentRepository.updateRun)
 * and kept when an attempt that did nothing new waits for the same thing again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_runs', (t) => {
    t.timestamp('waiting_since', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_runs', (t) => {
    t.dropColumn('waiting_since');
  });
}
