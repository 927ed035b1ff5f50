/**
 * The history retention's SQL (issue #13): which ended instances are due,
 * what the archive keeps of them, and the removal of every row of theirs.
 * All of it runs inside the batch's transaction (retention-runner.ts).
 *
 * Due: ended (any status but ACTIVE) longer ago than its TTL — the process
 * version's own (`process_definitions.history_ttl_days`) or else the
 * server's; never one of a version kept forever (`history_kept_forever`: a
 * TTL the migration could not read) — and not in use by something still live:
 * - a call-activity child waits while its parent is live (an operator
 *   follows the link from the parent), and a parent while any child is live
 *   (the child's link back, and the cancel it may still be sent); each goes
 *   by its own end time otherwise;
 * - an instance in a batch operation still running stays for the batch.
 * Claimed with FOR UPDATE SKIP LOCKED: two engines take different instances.
 */
import type { Knex } from 'knex';
import type { ChainRow } from '../../audit/audit-chain.js';
import type { ArchivedChain, ArchivedInstance } from './archive-format.js';

export interface DueInstance {
  id: string;
  processId: string;
  ttlDays: number;
}

export const REMOVAL_SETTING = 'weft.history_removal';

/**
 * Claimed per process version, each walking its own `(definition_key,
 * ended_at)` index range up to its own TTL: with one range bounded by the
 * smallest TTL, a long-TTL version's ended-but-not-due instances were walked
 * by every claim. Then the oldest `limit` of those, locked SKIP LOCKED.
 */
export async function claimDue(trx: Knex.Transaction, serverTtl: number | null, limit: number): Promise<DueInstance[]> {
  const { rows } = await trx.raw(
    `SELECT p.id::text AS id, p.process_id AS "processId", c.ttl AS "ttlDays"
       FROM process_instances p
       JOIN (
         SELECT x.id, x.ended_at, d.ttl
           FROM (SELECT key, coalesce(history_ttl_days, ?::integer) AS ttl FROM process_definitions WHERE NOT history_kept_forever) d
          CROSS JOIN LATERAL (
            SELECT i.id, i.ended_at
              FROM process_instances i
             WHERE i.definition_key = d.key AND i.ended_at IS NOT NULL AND i.status <> 'ACTIVE'
               AND i.ended_at < now() - make_interval(days => d.ttl)
               AND NOT EXISTS (SELECT 1 FROM process_instances parent WHERE parent.id = i.parent_instance_id AND parent.ended_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM process_instances child WHERE child.parent_instance_id = i.id AND child.ended_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM batch_operation_items bi JOIN batch_operations b ON b.id = bi.operation_id WHERE bi.instance_id = i.id AND b.state = 'RUNNING')
             ORDER BY i.ended_at
             LIMIT ?) x
          WHERE d.ttl IS NOT NULL
          ORDER BY x.ended_at
          LIMIT ?) c ON c.id = p.id
      ORDER BY c.ended_at
      FOR UPDATE OF p SKIP LOCKED`,
    [serverTtl, limit, limit],
  );
  return (rows as DueInstance[]).map((r) => ({ ...r, ttlDays: Number(r.ttlDays) }));
}

const AT_TEXT = `to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The instances' headers, chain heads and audit rows (as the verifier reads them), in chain order. */
export async function readChains(trx: Knex.Transaction, due: DueInstance[]): Promise<ArchivedChain[]> {
  const ids = due.map((d) => d.id);
  const ttl = new Map(due.map((d) => [d.id, d.ttlDays]));
  const headers = (await trx('process_instances')
    .whereIn('id', ids)
    .orderBy('ended_at')
    .select(
      trx.raw('id::text AS id'),
      'process_id',
      'version',
      trx.raw('definition_key::text AS definition_key'),
      'business_key',
      'status',
      'created_at',
      'ended_at',
      trx.raw('parent_instance_id::text AS parent_instance_id'),
    )) as Record<string, any>[];
  const heads = await trx('audit_chain_heads').whereIn('chain', ids).select('chain', trx.raw('seq::text AS seq'), 'hash');
  const headOf = new Map(heads.map((h: { chain: string; seq: string; hash: string }) => [h.chain, { seq: h.seq, hash: h.hash }]));
  // Driven from the ids (one index lookup of audit per instance, one of audit_links per row): `= ANY(500 ids)`
  // was misestimated into a scan of audit and a hash of every link (~720 ms a batch at 100,000 instances).
  // OFFSET 0 keeps the LATERAL a nested loop: pulled up into a plain join, the planner hashed both tables again.
  const { rows } = await trx.raw(
    `SELECT x."id", x."chainSeq", x."processInstanceId", x."at", x.actor, x.type, x."elementId", x."elementInstanceKey", x."payload", x."prevHash", x.hash
       FROM unnest(?::uuid[]) i(id)
       CROSS JOIN LATERAL (
         SELECT a.id AS audit_id, l.seq AS seq, a.id::text AS "id", l.seq::text AS "chainSeq", a.process_instance_id::text AS "processInstanceId",
                ${AT_TEXT} AS "at", a.actor, a.type, a.element_id AS "elementId", a.element_instance_key AS "elementInstanceKey",
                a.payload::text AS "payload", l.prev_hash AS "prevHash", l.hash
           FROM audit a LEFT JOIN audit_links l ON l.audit_id = a.id
          WHERE a.process_instance_id = i.id
         OFFSET 0) x
      ORDER BY x."processInstanceId", x.seq NULLS FIRST, x.audit_id`,
    [ids],
  );
  const rowsOf = new Map<string, ChainRow[]>();
  for (const row of rows as ChainRow[]) {
    const list = rowsOf.get(row.processInstanceId!) ?? [];
    list.push(row);
    rowsOf.set(row.processInstanceId!, list);
  }
  return headers.map((h) => {
    const instance: ArchivedInstance = {
      id: h.id,
      processId: h.process_id,
      version: h.version,
      definitionKey: h.definition_key,
      businessKey: h.business_key,
      status: h.status,
      createdAt: new Date(h.created_at).toISOString(),
      endedAt: new Date(h.ended_at).toISOString(),
      parentInstanceId: h.parent_instance_id,
      ttlDays: ttl.get(h.id)!,
    };
    return { instance, chainHead: headOf.get(h.id) ?? null, rows: rowsOf.get(h.id) ?? [] };
  });
}

/**
 * Every table holding rows of an instance, and how its rows are found. The
 * order matters only where a foreign key does: the agent run journal before
 * its runs; instance_entries go with process_instances (ON DELETE CASCADE).
 * The outbox is not here: its rows are relayed and deleted within seconds.
 * Nor message_correlations: the row (message key, process id) is what stops
 * a buffered message reaching its process twice, so it outlives the
 * instance until the message expires (the expiry sweep deletes it). Nor
 * batch_operation_items: a finished batch's items (instance id, outcome)
 * are what the Batch operations view shows; a running batch holds its
 * instances instead (the claim).
 */
// Each `?` is the batch's ids, as uuid[] or text[] (cast in the SQL).
const REMOVALS: [table: string, sql: string][] = [
  ['agent_run_steps', `DELETE FROM agent_run_steps s USING agent_runs r WHERE r.process_instance_id = ANY(?::uuid[]) AND s.job_key = r.job_key`],
  ['agent_runs', `DELETE FROM agent_runs WHERE process_instance_id = ANY(?::uuid[])`],
  ['a2a_remote_tasks', `DELETE FROM a2a_remote_tasks WHERE process_instance_id = ANY(?::uuid[])`],
  ['a2a_tasks', `DELETE FROM a2a_tasks WHERE process_instance_id = ANY(?::uuid[])`],
  ['v2_keys', `DELETE FROM v2_keys WHERE kind IN ('process-instance', 'element-instance', 'variable') AND split_part(id, ':', 1) = ANY(?::text[])`],
  ['v2_keys', `DELETE FROM v2_keys k USING jobs j WHERE j.process_instance_id = ANY(?::uuid[]) AND k.kind = 'job' AND k.id = j.key::text`],
  ['v2_keys', `DELETE FROM v2_keys k USING tasks t WHERE t.process_instance_id = ANY(?::uuid[]) AND k.kind = 'user-task' AND k.id = t.id::text`],
  ['v2_keys', `DELETE FROM v2_keys k USING incidents i WHERE i.process_instance_id = ANY(?::uuid[]) AND k.kind = 'incident' AND k.id = i.id::text`],
  ['jobs', `DELETE FROM jobs WHERE process_instance_id = ANY(?::uuid[])`],
  ['tasks', `DELETE FROM tasks WHERE process_instance_id = ANY(?::uuid[])`],
  ['incidents', `DELETE FROM incidents WHERE process_instance_id = ANY(?::uuid[])`],
  ['timers', `DELETE FROM timers WHERE process_instance_id = ANY(?::uuid[])`],
  ['message_subscriptions', `DELETE FROM message_subscriptions WHERE process_instance_id = ANY(?::uuid[])`],
  ['signal_subscriptions', `DELETE FROM signal_subscriptions WHERE process_instance_id = ANY(?::uuid[])`],
  ['instance_notifications', `DELETE FROM instance_notifications WHERE target_instance_id = ANY(?::uuid[]) OR source_instance_id = ANY(?::uuid[])`],
  ['instance_start_keys', `DELETE FROM instance_start_keys WHERE process_instance_id = ANY(?::uuid[])`],
  // One statement: the audit rows found per instance (an index lookup each, as readChains), then their links by the ids deleted (primary-key lookups);
  // `DELETE audit_links USING audit` hashed every link (~270 ms a batch at 100,000 instances).
  ['audit', `WITH gone AS (DELETE FROM audit WHERE id = ANY(ARRAY(SELECT x.id FROM unnest(?::uuid[]) i(id) CROSS JOIN LATERAL (SELECT a.id FROM audit a WHERE a.process_instance_id = i.id OFFSET 0) x)) RETURNING id),
                  links AS (DELETE FROM audit_links WHERE audit_id = ANY(ARRAY(SELECT id FROM gone)) RETURNING 1)
             SELECT (SELECT count(*) FROM gone)::int AS audit, (SELECT count(*) FROM links)::int AS audit_links`],
  ['audit_chain_heads', `DELETE FROM audit_chain_heads WHERE chain = ANY(?::text[])`],
  ['instance_entries', `DELETE FROM instance_entries WHERE instance_id = ANY(?::uuid[])`],
  ['process_instances', `DELETE FROM process_instances WHERE id = ANY(?::uuid[])`],
];

/**
 * Deletes every row of the instances; answers how many rows each table lost.
 * The audit's guard lets these deletes through for this transaction only,
 * and only for ended instances (it looks the instance up: process_instances
 * goes last).
 */
export async function removeInstances(trx: Knex.Transaction, ids: string[]): Promise<Record<string, number>> {
  // The token the audit's guard checks: this transaction's id, so no role- or database-level setting can stand in for it.
  await trx.raw(`SELECT set_config('${REMOVAL_SETTING}', pg_current_xact_id()::text, true)`);
  const counts: Record<string, number> = {};
  for (const [table, sql] of REMOVALS) {
    // Every binding is the batch's ids (REMOVALS holds no other `?`).
    const result = await trx.raw(sql, Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => ids));
    if (table === 'audit') {
      // The audit's statement answers both tables' counts as a row (rowCount is the SELECT's one row).
      counts.audit_links = (counts.audit_links ?? 0) + result.rows[0].audit_links;
      counts.audit = (counts.audit ?? 0) + result.rows[0].audit;
    } else counts[table] = (counts[table] ?? 0) + (result.rowCount ?? 0);
  }
  await trx.raw(`SELECT set_config('${REMOVAL_SETTING}', '', true)`);
  return counts;
}

/** The batch's own event, in the chain of no instance (its head's lock is taken last, held only to the commit). */
export async function recordRemoval(trx: Knex.Transaction, payload: Record<string, unknown>): Promise<void> {
  await trx('audit').insert({ process_instance_id: null, actor: 'engine', type: 'HISTORY_REMOVED', payload: JSON.stringify(payload) });
}
