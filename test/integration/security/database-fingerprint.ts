/**
 * A digest of every table a request could change (sessions and the outbox
 * aside: reading a session touches it, and the outbox drains on its own; and
 * a token's last use, which authenticating records), so a test can show that
 * a run of refused requests left everything as it was.
 */
import type { Knex } from 'knex';

/** Columns that authenticating a request updates by design. */
const TOUCHED: Record<string, string> = { api_tokens: 'last_used_at' };

const TABLES = ['users', 'user_groups', 'groups', 'api_tokens', 'settings', 'deployments', 'process_definitions', 'decision_requirements', 'decision_definitions', 'process_instances', 'jobs', 'tasks', 'incidents', 'audit', 'forms', 'agent_definitions', 'agent_runs', 'agent_switches', 'messages', 'message_subscriptions', 'message_correlations', 'message_start_events', 'secrets', 'a2a_exposed_processes', 'a2a_remote_tasks', 'a2a_switches', 'a2a_tasks', 'batch_operations', 'batch_operation_items'];

export async function databaseFingerprint(db: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const row = TOUCHED[table] ? `(to_jsonb(t) - '${TOUCHED[table]}')::text` : 't::text';
    const { rows } = await db.raw(`SELECT count(*)::int AS n, md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) AS digest FROM ${table} t`);
    out[table] = `${rows[0].n}:${rows[0].digest}`;
  }
  return out;
}
