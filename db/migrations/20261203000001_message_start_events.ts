import type { Knex } from 'knex';

/**
 * Messages, second part.
 *
 * - `message_start_events`: the message start events of the latest version
 *   of each process (a deploy hook writes them; a new version replaces its
 *   process's rows). One per (process, message name), as Camunda 8 requires
 *   unique names among a process's message start events. `since` is when the
 *   process first listened to that name: a buffered message published before
 *   it is never correlated to the start event (as in Camunda 8), and a
 *   redeploy that keeps the name keeps `since`.
 * - `process_instances.start_message_key` becomes `start_correlation_key`: it
 *   holds the correlation key of the message that started the instance (the
 *   "message key" is the message's own id everywhere else).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_start_events', (t) => {
    t.text('process_id').notNullable();
    t.text('message_name').notNullable();
    t.uuid('definition_key').notNullable();
    t.text('element_id').notNullable();
    t.timestamp('since', { useTz: true }).notNullable();
    t.primary(['process_id', 'message_name']);
    t.index(['message_name']);
  });
  await knex.raw('DROP INDEX IF EXISTS process_instances_message_start_idx');
  await knex.schema.alterTable('process_instances', (t) => t.renameColumn('start_message_key', 'start_correlation_key'));
  await knex.raw(
    `CREATE UNIQUE INDEX process_instances_message_start_idx ON process_instances (process_id, start_correlation_key) WHERE status = 'ACTIVE' AND start_correlation_key IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS process_instances_message_start_idx');
  await knex.schema.alterTable('process_instances', (t) => t.renameColumn('start_correlation_key', 'start_message_key'));
  await knex.raw(
    `CREATE UNIQUE INDEX process_instances_message_start_idx ON process_instances (process_id, start_message_key) WHERE status = 'ACTIVE' AND start_message_key IS NOT NULL`,
  );
  await knex.schema.dropTable('message_start_events');
}
