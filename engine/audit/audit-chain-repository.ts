/**
 * Reads one audit chain as the verifier hashes it (audit-chain.ts): the rows
 * of an instance (or of no instance, `null`) in chain order, each field as
 * Postgres renders it, and the length the chain's head remembers.
 */
import type { Knex } from 'knex';
import type { ChainRow } from './audit-chain.js';

const AT_TEXT = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function readChain(db: Knex, instanceId: string | null): Promise<{ rows: ChainRow[]; headSeq: number }> {
  const where = instanceId === null ? 'process_instance_id IS NULL' : 'process_instance_id = ?';
  const bindings = instanceId === null ? [] : [instanceId];
  const { rows } = await db.raw(
    `SELECT id::text AS "id", chain_seq::text AS "chainSeq", process_instance_id::text AS "processInstanceId", ${AT_TEXT} AS "at",
            actor, type, element_id AS "elementId", element_instance_key AS "elementInstanceKey", payload::text AS "payload",
            prev_hash AS "prevHash", hash
       FROM audit_chained WHERE ${where} ORDER BY chain_seq NULLS FIRST, id`,
    bindings,
  );
  const head = await db('audit_chain_heads').where({ chain: instanceId ?? 'none' }).first('seq');
  return { rows: rows as ChainRow[], headSeq: head ? Number(head.seq) : 0 };
}
