/**
 * The audit's hash chain, recomputed (issue #12). Postgres makes the chain as
 * rows are inserted (db/migrations/20261213000002_audit_chain.ts, made per statement by 20261213000004_audit_seal_per_statement.ts); this file
 * computes the same bytes independently from a chain's rows and names the
 * first row that does not fit. Pure: the rows come in, a verdict goes out.
 *
 * The canonical content is defined by the migration's comment: the previous
 * hash, then each field as `<UTF-8 octets>:<text>|` (`-|` for null). Fields
 * arrive as Postgres renders them (`payload::text`, the time in UTC with
 * microseconds), because a JavaScript Date keeps milliseconds and a parsed
 * jsonb loses its canonical text.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** One audit row as the verifier reads it: every field as text, as hashed. */
export interface ChainRow {
  id: string;
  chainSeq: string | null;
  processInstanceId: string | null;
  at: string;
  actor: string;
  type: string;
  elementId: string | null;
  elementInstanceKey: string | null;
  payload: string | null;
  prevHash: string | null;
  hash: string | null;
}

export interface ChainMismatch {
  /** The first row that does not fit (for a shortened chain: its last remaining row; null when none is left). */
  id: string | null;
  type: string | null;
  at: string | null;
  reason: string;
}

export interface ChainVerdict {
  valid: boolean;
  events: number;
  firstMismatch: ChainMismatch | null;
}

const field = (value: string | null) => (value === null ? '-|' : `${Buffer.byteLength(value, 'utf8')}:${value}|`);

/** The row's hash over the previous hash and its canonical content. */
export function rowHash(prevHash: string, seq: string, row: ChainRow): string {
  const content = [seq, row.id, row.processInstanceId, row.at, row.actor, row.type, row.elementId, row.elementInstanceKey, row.payload].map(field).join('');
  return createHash('sha256').update(`${prevHash}|${content}`, 'utf8').digest('hex');
}

/**
 * Walks the rows in chain order. `headSeq` is how long the chain was when its
 * last row was written (audit_chain_heads): fewer rows than that means rows
 * were removed from its end, which no link between the remaining rows shows.
 */
export function verifyChain(rows: ChainRow[], headSeq: number): ChainVerdict {
  let prev = GENESIS_HASH;
  const mismatch = (row: ChainRow | undefined, reason: string): ChainVerdict => ({
    valid: false,
    events: rows.length,
    firstMismatch: { id: row?.id ?? null, type: row?.type ?? null, at: row?.at ?? null, reason },
  });
  for (const [index, row] of rows.entries()) {
    const expected = String(index + 1);
    if (row.chainSeq !== expected) {
      return mismatch(row, row.chainSeq === null ? 'has no place in the chain (written without the chain trigger)' : `is event ${row.chainSeq} of the chain where event ${expected} was expected: ${Number(row.chainSeq) - index - 1} event(s) before it are missing`);
    }
    if (row.prevHash !== prev) return mismatch(row, 'does not carry the hash of the event before it: an event before it was removed or changed');
    if (rowHash(prev, expected, row) !== row.hash) return mismatch(row, 'its content does not match its hash: it was changed after it was recorded');
    prev = row.hash;
  }
  if (headSeq > rows.length) return mismatch(rows.at(-1), `the chain recorded ${headSeq} events but ${rows.length} remain: the last ${headSeq - rows.length} were removed`);
  return { valid: true, events: rows.length, firstMismatch: null };
}
