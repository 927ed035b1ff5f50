/** The verifier's own rules, over rows built here with its own hash (the Postgres side is test/integration/audit). */
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, rowHash, verifyChain, type ChainRow } from '../../../engine/audit/audit-chain.js';

/** A well-formed chain of `n` rows. */
function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const row: ChainRow = { id: String(100 + i), chainSeq: String(i), processInstanceId: 'p', at: `2026-12-03T12:00:0${i}.000001Z`, actor: 'engine', type: `T${i}`, elementId: null, elementInstanceKey: null, payload: `{"i": ${i}}`, prevHash: prev, hash: null };
    row.hash = rowHash(prev, String(i), row);
    prev = row.hash;
    rows.push(row);
  }
  return rows;
}

describe('verifyChain', () => {
  it('accepts a whole chain, and an empty one', () => {
    expect(verifyChain(chain(4), 4)).toEqual({ valid: true, events: 4, firstMismatch: null });
    expect(verifyChain([], 0)).toEqual({ valid: true, events: 0, firstMismatch: null });
  });

  it('tells a null field from the text "-" and from an empty string', () => {
    const [row] = chain(1);
    expect(rowHash(GENESIS_HASH, '1', { ...row, elementId: '-' })).not.toBe(row.hash);
    expect(rowHash(GENESIS_HASH, '1', { ...row, elementId: '' })).not.toBe(row.hash);
  });

  it('names a changed row', () => {
    const rows = chain(3);
    rows[1] = { ...rows[1], actor: 'mallory' };
    expect(verifyChain(rows, 3).firstMismatch).toMatchObject({ id: '102', type: 'T2', reason: expect.stringMatching(/content does not match/) });
  });

  it('names the row after a removed one, and a chain whose end was removed', () => {
    const rows = chain(4);
    expect(verifyChain([rows[0], rows[2], rows[3]], 4).firstMismatch).toMatchObject({ id: '103', reason: expect.stringMatching(/1 event\(s\) before it are missing/) });
    expect(verifyChain(rows.slice(0, 3), 4).firstMismatch).toMatchObject({ id: '103', reason: expect.stringMatching(/the last 1 were removed/) });
    expect(verifyChain([], 2).firstMismatch).toMatchObject({ id: null, reason: expect.stringMatching(/recorded 2 events but 0 remain/) });
  });

  it('names a row whose link was rewritten to hide a removal', () => {
    const rows = chain(3);
    // row 2 removed, row 3 renumbered: its prev_hash still names row 2
    const forged = { ...rows[2], chainSeq: '2' };
    expect(verifyChain([rows[0], forged], 2).firstMismatch).toMatchObject({ id: '103', reason: expect.stringMatching(/does not carry the hash of the event before it/) });
  });
});
