import type { Knex } from 'knex';

/**
 * Delivering signals (engine/signals/).
 *
 * - `signal_start_events`: the top-level signal start events of the latest
 *   version of each process (a deploy hook writes them; a new version
 *   replaces its process's rows). One per (process, signal name): a
 *   broadcast starts one instance of a process.
 * - `signal_subscriptions.seq`: the order subscriptions were opened in,
 *   from one sequence. A broadcast records the sequence's last value when it
 *   is written (`cutoff`) and reaches only subscriptions opened before, so
 *   a delivery done in several batches never reaches a catcher that opened
 *   after the signal was thrown (an instance it started, say).
 * - `signal_broadcasts.after_instance` / `progressed_at`: how far a delivery
 *   in batches has come (instances are visited in id order, each once).
 * - Candidates are found by name in instance order, their seq in the
 *   index: (signal_name, process_instance_id) INCLUDE (seq) replaces the
 *   index on signal_name.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signal_start_events', (t) => {
    t.text('process_id').notNullable();
    t.text('signal_name').notNullable();
    t.uuid('definition_key').notNullable();
    t.text('element_id').notNullable();
    t.primary(['process_id', 'signal_name']);
    t.index(['signal_name']);
  });
  await knex.raw('CREATE SEQUENCE signal_subscription_seq');
  await knex.raw(`ALTER TABLE signal_subscriptions ADD COLUMN seq bigint NOT NULL DEFAULT nextval('signal_subscription_seq')`);
  await knex.raw('ALTER SEQUENCE signal_subscription_seq OWNED BY signal_subscriptions.seq');
  await knex.schema.alterTable('signal_subscriptions', (t) => t.dropIndex(['signal_name']));
  await knex.raw('CREATE INDEX signal_subscriptions_waiting_index ON signal_subscriptions (signal_name, process_instance_id) INCLUDE (seq)');
  await knex.schema.alterTable('signal_broadcasts', (t) => {
    /** The last subscription seq when the signal was broadcast; null: not recorded (taken when delivery begins). */
    t.bigInteger('cutoff');
    /** Instances up to this id have had it (a delivery in batches); null: none yet, and start events not yet started. */
    t.uuid('after_instance');
    t.timestamp('progressed_at', { useTz: true });
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('signal_broadcasts', (t) => {
    t.dropIndex(['created_at']);
    t.dropColumn('progressed_at');
    t.dropColumn('after_instance');
    t.dropColumn('cutoff');
  });
  await knex.raw('DROP INDEX signal_subscriptions_waiting_index');
  await knex.schema.alterTable('signal_subscriptions', (t) => t.index(['signal_name']));
  await knex.raw('ALTER TABLE signal_subscriptions DROP COLUMN seq'); // drops the sequence it owns
  await knex.schema.dropTable('signal_start_events');
}
