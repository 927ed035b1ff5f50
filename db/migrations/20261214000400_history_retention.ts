import type { Knex } from 'knex';

const CAMUNDA_7_NAMESPACE = 'http://camunda.org/schema/1.0/bpmn';
/** As engine/model/history-ttl.ts's MAX_TTL_DAYS (copied: a migration must not change when the engine's code does). */
const MAX_TTL_DAYS = 36_500;

export type StoredTtl = { days: number } | { unreadable: string } | undefined;

const attribute = (attrs: string, name: string) => new RegExp(`(?:^|\\s)${name.replace(/[.]/g, '\\.')}\\s*=\\s*(["'])(.*?)\\1`, 's').exec(attrs)?.[2];

/**
 * The `historyTimeToLive` of process `processId` in a stored diagram, under
 * any prefix the file binds to Camunda 7's namespace: `30` or `P30D` → days;
 * empty or absent → undefined (the server's TTL, as at deploy); anything
 * else → unreadable. A regex, not the compiler: the XML was valid once, and
 * only this one attribute is wanted.
 */
export function storedCamunda7Ttl(xml: string, processId: string): StoredTtl {
  const prefixes = [...xml.matchAll(/xmlns:([\w.-]+)\s*=\s*(["'])(.*?)\2/g)].filter((m) => m[3] === CAMUNDA_7_NAMESPACE).map((m) => m[1]);
  if (prefixes.length === 0) return undefined;
  for (const element of xml.matchAll(/<(?:[\w.-]+:)?process((?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?)\/?>/g)) {
    const attrs = element[1] ?? '';
    if (attribute(attrs, 'id') !== processId) continue;
    for (const prefix of prefixes) {
      const value = attribute(attrs, `${prefix}:historyTimeToLive`)?.trim();
      if (value === undefined) continue;
      if (value === '') return undefined;
      const match = /^(?:(\d{1,9})|[Pp](\d{1,9})[Dd])$/.exec(value);
      const days = match ? Number(match[1] ?? match[2]) : NaN;
      return Number.isInteger(days) && days <= MAX_TTL_DAYS ? { days } : { unreadable: value };
    }
    return undefined;
  }
  return undefined;
}

/** Gives every version compiled before the TTL existed the TTL its stored diagram sets (see the header). */
export async function backfillHistoryTtl(knex: Knex): Promise<void> {
  const versions: { key: string; process_id: string; xml: string }[] = (
    await knex.raw(`SELECT key::text AS key, process_id, xml FROM process_definitions WHERE model->'historyTtlDays' IS NULL AND model->'historyTtlUnreadable' IS NULL`)
  ).rows;
  for (const v of versions) {
    const ttl = storedCamunda7Ttl(v.xml, v.process_id);
    if (ttl === undefined) continue;
    const patch = 'days' in ttl ? { historyTtlDays: ttl.days } : { historyTtlUnreadable: ttl.unreadable };
    await knex.raw('UPDATE process_definitions SET model = model || ?::jsonb WHERE key = ?::uuid', [JSON.stringify(patch), v.key]);
  }
}

/**
 * History retention (issue #13, engine/features/history-retention): ended
 * instances older than their history time-to-live are removed, every row of
 * theirs with them, in bounded batches.
 *
 * - `process_definitions.history_ttl_days`: the process's own TTL
 *   (`camunda:historyTimeToLive` or the `weft:historyTimeToLive` property,
 *   compiled into the model as `historyTtlDays`), kept by Postgres from the
 *   model so the deploy path stays as it is; null: the server's default.
 *   An unchanged redeploy reuses the version (same checksum) and does not
 *   recompile, so versions deployed before this change get `historyTtlDays`
 *   from their stored XML here (`backfillHistoryTtl`); a value that cannot be
 *   read as days is recorded as `historyTtlUnreadable` and the version's
 *   instances are kept forever (`history_kept_forever`) — never the server's
 *   TTL, which could remove them earlier than the diagram asked.
 * - The audit stays append-only for everyone else: a DELETE of `audit`,
 *   `audit_links` or `audit_chain_heads` rows passes only in a transaction
 *   that set `weft.history_removal` to its own id
 *   (`set_config('weft.history_removal', pg_current_xact_id()::text, true)`),
 *   and only for rows of an instance that has ended — never the chain of no
 *   instance, where the retention records each batch. An UPDATE of `audit`
 *   or `audit_links` is refused as before. This guards against mistakes, not
 *   against the tables' owner, who can still disable the triggers.
 * - Indexes for finding an instance's rows where none existed (the
 *   retention deletes by instance): A2A remote tasks, start keys, batch
 *   items, and the Camunda-v2 keys of an instance and its element
 *   instances and variables (their ids begin with the instance id).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE process_definitions ADD COLUMN history_ttl_days integer GENERATED ALWAYS AS ((model->>'historyTtlDays')::integer) STORED`);
  await knex.raw(`ALTER TABLE process_definitions ADD COLUMN history_kept_forever boolean GENERATED ALWAYS AS (model->'historyTtlUnreadable' IS NOT NULL) STORED`);
  await backfillHistoryTtl(knex);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION audit_is_append_only() RETURNS trigger AS $$
    DECLARE
      instance text;
    BEGIN
      -- The token is this transaction's own id: a value set for a role or a database (ALTER … SET) never matches it.
      IF TG_OP = 'DELETE' AND current_setting('weft.history_removal', true) = pg_current_xact_id()::text THEN
        -- Separate branches: a plpgsql expression naming a column the table lacks fails even when not taken.
        IF TG_TABLE_NAME = 'audit' THEN
          instance := OLD.process_instance_id::text;
        ELSE
          instance := OLD.chain;
        END IF;
        -- Only an ended instance's chain; never the chain of no instance. process_instances goes last in a removal, so the row is still there.
        IF instance IS NOT NULL AND instance <> 'none'
           AND EXISTS (SELECT 1 FROM process_instances p WHERE p.id = instance::uuid AND p.ended_at IS NOT NULL) THEN
          RETURN OLD;
        END IF;
      END IF;
      RAISE EXCEPTION 'audit is append-only';
    END; $$ LANGUAGE plpgsql`);
  // The heads are updated by every sealed insert; only their deletion is guarded, as the links' is.
  await knex.raw('CREATE TRIGGER audit_chain_heads_no_delete BEFORE DELETE ON audit_chain_heads FOR EACH ROW EXECUTE FUNCTION audit_is_append_only()');
  // The claim walks each version's ended instances oldest first, up to its own TTL.
  await knex.raw('CREATE INDEX process_instances_ended_idx ON process_instances (definition_key, ended_at) WHERE ended_at IS NOT NULL');
  await knex.raw('CREATE INDEX a2a_remote_tasks_instance_idx ON a2a_remote_tasks (process_instance_id)');
  await knex.raw('CREATE INDEX instance_start_keys_instance_idx ON instance_start_keys (process_instance_id)');
  await knex.raw('CREATE INDEX batch_operation_items_instance_idx ON batch_operation_items (instance_id)');
  await knex.raw(`CREATE INDEX v2_keys_instance_idx ON v2_keys ((split_part(id, ':', 1))) WHERE kind IN ('process-instance', 'element-instance', 'variable')`);
  await knex.raw('CREATE INDEX instance_notifications_target_idx ON instance_notifications (target_instance_id)');
  await knex.raw('CREATE INDEX instance_notifications_source_idx ON instance_notifications (source_instance_id)');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['process_instances_ended_idx', 'instance_notifications_source_idx', 'instance_notifications_target_idx', 'v2_keys_instance_idx', 'batch_operation_items_instance_idx', 'instance_start_keys_instance_idx', 'a2a_remote_tasks_instance_idx']) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
  await knex.raw('DROP TRIGGER IF EXISTS audit_chain_heads_no_delete ON audit_chain_heads');
  await knex.raw(`
    CREATE OR REPLACE FUNCTION audit_is_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit is append-only'; END; $$ LANGUAGE plpgsql`);
  await knex.raw('ALTER TABLE process_definitions DROP COLUMN history_kept_forever');
  await knex.raw('ALTER TABLE process_definitions DROP COLUMN history_ttl_days');
}
