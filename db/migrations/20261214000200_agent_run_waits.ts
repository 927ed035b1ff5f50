import type { Knex } from 'knex';

/**
 * What a waiting agent run waits for (the live agent view, issue #12):
 * `waiting_for` is `decision` (a person's approval or review), `tool` (a
 * tool call's job) or `switch` (a kill switch), `waiting_ref` the review
 * instance or the tool job. Written by the worker in the same UPDATE that
 * makes the run WAITING (AgentRepository.updateRun), cleared when an attempt
 * takes the job again: read only while the run is WAITING.
 *
 * The partial index serves the view's default list, the runs in flight.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_runs', (t) => {
    t.text('waiting_for');
    t.text('waiting_ref');
  });
  await knex.raw('CREATE INDEX agent_runs_in_flight ON agent_runs (started_at DESC) WHERE ended_at IS NULL');
  await knex.raw('CREATE INDEX agent_runs_started ON agent_runs (started_at DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS agent_runs_in_flight');
  await knex.raw('DROP INDEX IF EXISTS agent_runs_started');
  await knex.schema.alterTable('agent_runs', (t) => {
    t.dropColumn('waiting_for');
    t.dropColumn('waiting_ref');
  });
}
