import type { Knex } from 'knex';

/**
 * History retention (issue #13, engine/features/history-retention): ended
 * instances older than their history time-to-live are removed, every row of
 * theirs with them, in bounded batches.
 *
 * - `process_definitions.history_ttl_days`: the process's own TTL
 *   (`camunda:historyTimeToLive` or the `weft:historyTimeToLive` property,
 *   compiled into the model as `historyTtlDays`), kept by Postgres from the
 *   model so the deploy path stays as it is; null: the server's default.
 * - The audit stays append-only for everyone else: a DELETE of `audit` or
 *   `audit_links` rows passes only in a transaction that said
 *   `SET LOCAL weft.history_removal = 'on'`, which the retention removal
 *   does, and records in the chain of no instance (one event per batch).
 *   An UPDATE is refused as before.
 * - Indexes for finding an instance's rows where none existed (the
 *   retention deletes by instance): A2A remote tasks, start keys, batch
 *   items, and the Camunda-v2 keys of an instance and its element
 *   instances and variables (their ids begin with the instance id).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE process_definitions ADD COLUMN history_ttl_days integer GENERATED ALWAYS AS ((model->>'historyTtlDays')::integer) STORED`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION audit_is_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('weft.history_removal', true) = 'on' THEN RETURN OLD; END IF;
      RAISE EXCEPTION 'audit is append-only';
    END; $$ LANGUAGE plpgsql`);
  await knex.raw('CREATE INDEX a2a_remote_tasks_instance_idx ON a2a_remote_tasks (process_instance_id)');
  await knex.raw('CREATE INDEX instance_start_keys_instance_idx ON instance_start_keys (process_instance_id)');
  await knex.raw('CREATE INDEX batch_operation_items_instance_idx ON batch_operation_items (instance_id)');
  await knex.raw(`CREATE INDEX v2_keys_instance_idx ON v2_keys ((split_part(id, ':', 1))) WHERE kind IN ('process-instance', 'element-instance', 'variable')`);
  await knex.raw('CREATE INDEX instance_notifications_target_idx ON instance_notifications (target_instance_id)');
  await knex.raw('CREATE INDEX instance_notifications_source_idx ON instance_notifications (source_instance_id)');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['instance_notifications_source_idx', 'instance_notifications_target_idx', 'v2_keys_instance_idx', 'batch_operation_items_instance_idx', 'instance_start_keys_instance_idx', 'a2a_remote_tasks_instance_idx']) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
  await knex.raw(`
    CREATE OR REPLACE FUNCTION audit_is_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit is append-only'; END; $$ LANGUAGE plpgsql`);
  await knex.raw('ALTER TABLE process_definitions DROP COLUMN history_ttl_days');
}
