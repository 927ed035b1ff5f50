import type { Knex } from 'knex';

/**
 * Agents: definitions (versioned like processes), runs (one per agent job),
 * the run journal (every model response and tool result, written before it is
 * acted on, keyed by job key + step number) and the kill switches.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agent_definitions', (t) => {
    t.uuid('key').primary();
    t.text('name').notNullable();
    t.integer('version').notNullable();
    t.text('checksum').notNullable();
    t.text('resource_name').notNullable();
    t.uuid('deployment_id').notNullable();
    t.jsonb('definition').notNullable();
    t.text('deployed_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['name', 'version']);
  });

  await knex.schema.createTable('agent_runs', (t) => {
    t.uuid('id').primary();
    t.uuid('job_key').notNullable().unique();
    t.uuid('process_instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('agent_name').notNullable();
    t.integer('agent_version').notNullable();
    t.uuid('definition_key').notNullable();
    /** RUNNING, WAITING (approval / review / switched off), COMPLETED, REJECTED, FAILED */
    t.text('status').notNullable();
    t.jsonb('output');
    t.text('decision');
    t.text('error');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.index(['process_instance_id']);
  });

  await knex.schema.createTable('agent_run_steps', (t) => {
    t.uuid('job_key').notNullable();
    t.integer('step').notNullable();
    t.uuid('run_id').notNullable().references('agent_runs.id');
    /** model | tool | repair | approval | review | decision */
    t.text('kind').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['job_key', 'step']);
  });

  await knex.schema.createTable('agent_switches', (t) => {
    /** An agent name, or `*` for the global switch. */
    t.text('scope').primary();
    t.boolean('disabled').notNullable();
    t.text('changed_by').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['agent_switches', 'agent_run_steps', 'agent_runs', 'agent_definitions']) {
    await knex.schema.dropTableIfExists(table);
  }
}
