import type { Knex } from 'knex';

/**
 * Waits outside the instance: timers and message subscriptions (projections
 * of InstanceState.waits, written in the step's statement), buffered
 * messages, and the record of which process each message was correlated to.
 *
 * - `timers`: due timers are claimed by every engine's sweep with
 *   FOR UPDATE SKIP LOCKED, so one fires once. A row with no instance is a
 *   timer start event's schedule (`definition_key` says which version).
 * - `message_subscriptions`: open ones are matched by (name, correlation key).
 * - `messages`: published messages kept until `expires_at` for instances
 *   that subscribe later; `message_id` makes a publish idempotent.
 * - `message_correlations`: a message reaches a process (by BPMN id) at most
 *   once, as in Camunda 8; the primary key enforces it across engines.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('timers', (t) => {
    t.uuid('id').primary();
    t.uuid('process_instance_id');
    t.uuid('definition_key').notNullable();
    t.text('process_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_instance_key');
    t.timestamp('due_at', { useTz: true }).notNullable();
    /** TimerRepeat of a cycle: what comes after this firing. */
    t.jsonb('repeat');
    /** ACTIVE → FIRED | CANCELED */
    t.text('state').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.index(['process_instance_id']);
    t.index(['definition_key']);
  });
  await knex.raw(`CREATE INDEX timers_due_idx ON timers (due_at) WHERE state = 'ACTIVE'`);

  await knex.schema.createTable('message_subscriptions', (t) => {
    t.uuid('id').primary();
    t.uuid('process_instance_id').notNullable();
    t.uuid('definition_key').notNullable();
    t.text('process_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_instance_key').notNullable();
    t.text('message_name').notNullable();
    t.text('correlation_key').notNullable();
    t.boolean('interrupting').notNullable().defaultTo(true);
    /** OPEN → CORRELATED | CLOSED */
    t.text('state').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.index(['process_instance_id']);
  });
  await knex.raw(`CREATE INDEX message_subscriptions_open_idx ON message_subscriptions (message_name, correlation_key) WHERE state = 'OPEN'`);

  await knex.schema.createTable('messages', (t) => {
    t.uuid('key').primary();
    t.text('name').notNullable();
    t.text('correlation_key').notNullable();
    t.jsonb('variables').notNullable();
    t.text('message_id');
    t.text('published_by');
    t.timestamp('published_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
  await knex.raw(`CREATE INDEX messages_buffered_idx ON messages (name, correlation_key, expires_at)`);
  await knex.raw(`CREATE UNIQUE INDEX messages_message_id_idx ON messages (name, correlation_key, message_id) WHERE message_id IS NOT NULL`);
  await knex.raw(`CREATE INDEX messages_expires_idx ON messages (expires_at)`);

  await knex.schema.createTable('message_correlations', (t) => {
    t.uuid('message_key').notNullable();
    t.text('process_id').notNullable();
    t.uuid('process_instance_id').notNullable();
    t.text('element_id').notNullable();
    t.timestamp('correlated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['message_key', 'process_id']);
    t.index(['process_instance_id']);
  });

  // A message start event with a correlation key starts at most one active instance per key (as in Camunda 8).
  await knex.schema.alterTable('process_instances', (t) => {
    t.text('start_message_key');
  });
  await knex.raw(
    `CREATE UNIQUE INDEX process_instances_message_start_idx ON process_instances (process_id, start_message_key) WHERE status = 'ACTIVE' AND start_message_key IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS process_instances_message_start_idx');
  await knex.schema.alterTable('process_instances', (t) => t.dropColumn('start_message_key'));
  await knex.schema.dropTable('message_correlations');
  await knex.schema.dropTable('messages');
  await knex.schema.dropTable('message_subscriptions');
  await knex.schema.dropTable('timers');
}
