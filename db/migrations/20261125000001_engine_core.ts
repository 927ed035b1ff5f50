import type { Knex } from 'knex';

/**
 * Engine core schema. `process_instances.state` holds the runtime's
 * InstanceState document; jobs, tasks and incidents are projections of it
 * that workers, the inbox and operators query; audit is append-only; outbox
 * rows are work waiting to be relayed to BullMQ (row id = BullMQ job id).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.text('key').primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('deployments', (t) => {
    t.uuid('id').primary();
    t.jsonb('resources').notNullable();
    t.text('deployed_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('process_definitions', (t) => {
    t.uuid('key').primary();
    t.text('process_id').notNullable();
    t.integer('version').notNullable();
    t.text('name');
    t.text('checksum').notNullable();
    t.text('resource_name').notNullable();
    t.uuid('deployment_id').notNullable().references('deployments.id');
    t.text('xml').notNullable();
    t.jsonb('model').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['process_id', 'version']);
  });

  await knex.schema.createTable('process_instances', (t) => {
    t.uuid('id').primary();
    t.uuid('definition_key').notNullable().references('process_definitions.key');
    t.text('process_id').notNullable();
    t.integer('version').notNullable();
    t.text('business_key');
    t.text('status').notNullable();
    t.jsonb('state').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.index(['process_id', 'status']);
    t.index(['status', 'created_at']);
  });

  await knex.schema.createTable('jobs', (t) => {
    t.uuid('key').primary();
    t.text('type').notNullable();
    t.uuid('process_instance_id').notNullable();
    t.text('process_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_instance_key').notNullable();
    t.text('state').notNullable();
    t.integer('retries').notNullable();
    t.jsonb('headers').notNullable();
    t.jsonb('variables').notNullable();
    t.text('worker_id');
    t.timestamp('deadline', { useTz: true });
    t.timestamp('available_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('error_message');
    /** Id of the BullMQ job that last dispatched this job (the outbox row id). */
    t.uuid('dispatch_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['type', 'state', 'available_at']);
    t.index(['process_instance_id']);
  });

  await knex.schema.createTable('tasks', (t) => {
    t.uuid('id').primary();
    t.uuid('process_instance_id').notNullable();
    t.text('process_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_instance_key').notNullable();
    t.text('name');
    t.text('state').notNullable();
    t.text('assignee');
    t.specificType('candidate_groups', 'text[]').notNullable().defaultTo('{}');
    t.specificType('candidate_users', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('due_date', { useTz: true });
    t.timestamp('follow_up_date', { useTz: true });
    t.text('form_id');
    t.text('form_key');
    t.integer('priority').notNullable().defaultTo(50);
    t.jsonb('headers').notNullable();
    t.jsonb('variables').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.text('completed_by');
    t.index(['state', 'assignee']);
    t.index(['process_instance_id']);
  });
  await knex.raw('CREATE INDEX tasks_candidate_groups_idx ON tasks USING gin (candidate_groups)');

  await knex.schema.createTable('incidents', (t) => {
    t.uuid('id').primary();
    t.uuid('process_instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_instance_key').notNullable();
    t.uuid('job_key');
    t.text('type').notNullable();
    t.text('message').notNullable();
    t.text('state').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.text('resolved_by');
    t.index(['process_instance_id']);
    t.index(['state']);
  });

  await knex.schema.createTable('audit', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('process_instance_id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor').notNullable();
    t.text('type').notNullable();
    t.text('element_id');
    t.text('element_instance_key');
    t.jsonb('payload');
    t.index(['process_instance_id', 'id']);
  });
  // Append-only: the database refuses to change or remove what was recorded.
  await knex.raw(`
    CREATE FUNCTION audit_is_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit is append-only'; END; $$ LANGUAGE plpgsql;
    CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
      FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
  `);

  await knex.schema.createTable('outbox', (t) => {
    t.uuid('id').primary();
    t.text('queue').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('available_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['available_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['outbox', 'audit', 'incidents', 'tasks', 'jobs', 'process_instances', 'process_definitions', 'deployments', 'settings']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP FUNCTION IF EXISTS audit_is_append_only()');
}
