import type { Knex } from 'knex';

/**
 * Call activities: a child instance knows its parent (for the operations
 * page and for canceling), and instances tell each other what happened —
 * a child's end to its parent's call activity, a cancel to a child — through
 * durable notifications written with the step and delivered after commit,
 * each in its own transaction that deletes it (so each is delivered once,
 * and no transaction holds two instances' locks).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (t) => {
    t.uuid('parent_instance_id');
    t.text('parent_element_instance_key');
    t.index(['parent_instance_id']);
  });
  await knex.schema.createTable('instance_notifications', (t) => {
    t.uuid('key').primary();
    t.uuid('target_instance_id').notNullable();
    t.uuid('source_instance_id').notNullable();
    /** child-completed | child-error | cancel */
    t.text('kind').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instance_notifications');
  await knex.schema.alterTable('process_instances', (t) => {
    t.dropIndex(['parent_instance_id']);
    t.dropColumn('parent_element_instance_key');
    t.dropColumn('parent_instance_id');
  });
}
