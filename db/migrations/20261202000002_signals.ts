import type { Knex } from 'knex';

/**
 * Signals: open signal subscriptions (projections of InstanceState.waits;
 * a row exists only while open, since a broadcast finds them by name), and
 * broadcasts thrown inside instances, written with the step that threw them
 * and delivered to every other instance and signal start event afterwards;
 * a broadcast row is deleted in the transaction that delivers it, so it is
 * delivered once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signal_subscriptions', (t) => {
    t.uuid('id').primary();
    t.uuid('process_instance_id').notNullable();
    t.uuid('definition_key').notNullable();
    t.text('process_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_instance_key').notNullable();
    t.text('signal_name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['signal_name']);
    t.index(['process_instance_id']);
  });
  await knex.schema.createTable('signal_broadcasts', (t) => {
    t.uuid('key').primary();
    t.text('name').notNullable();
    t.jsonb('variables').notNullable();
    /** The instance that threw it (its own catchers got it in the step); null for a broadcast through the API. */
    t.uuid('source_instance_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signal_broadcasts');
  await knex.schema.dropTable('signal_subscriptions');
}
