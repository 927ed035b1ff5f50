import type { Knex } from 'knex';

/**
 * A2A (Agent2Agent), both directions.
 *
 * Outbound (connectors/a2a): `a2a_remote_tasks` is the waiting `a2a` job's
 * own state: which remote task it sent (one row per job key, written before
 * the job waits, so a restart or a Redis flush never sends the task twice),
 * the last state seen; `a2a_switches` the kill switch per connection.
 *
 * Inbound (engine/features/a2a): `a2a_exposed_processes` the processes an
 * administrator published an Agent Card for; `a2a_tasks` the A2A tasks
 * outside agents handed in, each tied to the instance it started (the
 * instance is the truth of its state; the row keeps who asked and what was said).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('a2a_remote_tasks', (t) => {
    t.uuid('job_key').primary();
    t.text('connection').notNullable();
    t.uuid('process_instance_id').notNullable();
    /** Null while the message is on its way (SENDING). */
    t.text('remote_task_id');
    t.text('context_id');
    /** SENDING, then the remote task's state as A2A names it (submitted, working, completed, …). */
    t.text('state').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('a2a_switches', (t) => {
    t.text('connection').primary();
    t.boolean('disabled').notNullable();
    t.text('changed_by').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('a2a_exposed_processes', (t) => {
    t.text('process_id').primary();
    t.text('name');
    t.text('description');
    t.jsonb('skills').notNullable();
    /** The variables a completed task's artifact carries; null: all of the instance's variables. */
    t.jsonb('output_variables');
    t.text('exposed_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('a2a_tasks', (t) => {
    t.text('task_id').primary();
    t.text('process_id').notNullable();
    /** Null only between the row's insert and the instance's start (a crash there leaves a failed task). */
    t.uuid('process_instance_id');
    t.text('context_id').notNullable();
    /** The actor who sent the task: only they see it and may cancel it. */
    t.text('owner').notNullable();
    /** The task as the SDK last saved it (history, metadata); its status is read from the instance. */
    t.jsonb('snapshot');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['process_instance_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['a2a_tasks', 'a2a_exposed_processes', 'a2a_switches', 'a2a_remote_tasks']) await knex.schema.dropTableIfExists(table);
}
