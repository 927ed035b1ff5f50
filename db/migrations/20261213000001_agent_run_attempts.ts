import type { Knex } from 'knex';

/**
 * An agent run's attempts: a run that ended (failed with an incident, or its
 * BPMN error was not caught) and whose job is handed out again by "resolve
 * and retry" starts attempt n+1 of the same run, in the same transaction
 * (engine/persistence/agent-run-states.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_runs', (t) => {
    t.integer('attempt').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_runs', (t) => {
    t.dropColumn('attempt');
  });
}
