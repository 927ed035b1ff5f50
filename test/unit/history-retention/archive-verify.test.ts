/**
 * A history archive verifies offline (issue #13): the chains in it are
 * recomputed by the audit verifier; an edited row, a row missing from an
 * archived chain, or a file that is not an archive is reported, by the
 * function and by `weft audit verify-archive`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, rowHash, type ChainRow } from '../../../engine/audit/audit-chain.js';
import { archiveLines, type ArchivedChain } from '../../../engine/features/history-retention/archive-format.js';
import { verifyArchiveText } from '../../../engine/features/history-retention/archive-verify.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'weft-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A chain of `n` rows hashed as Postgres hashes them. */
function chain(instanceId: string, n: number): ArchivedChain {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const row: ChainRow = { id: String(100 + i), chainSeq: String(i), processInstanceId: instanceId, at: `2026-01-0${i}T00:00:00.000000Z`, actor: 'engine', type: `EVENT_${i}`, elementId: null, elementInstanceKey: null, payload: `{"i": ${i}}`, prevHash: prev, hash: null };
    row.hash = rowHash(prev, String(i), row);
    prev = row.hash;
    rows.push(row);
  }
  const instance = { id: instanceId, processId: 'p', version: 1, definitionKey: 'k', businessKey: null, status: 'COMPLETED', createdAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-03T00:00:00.000Z', parentInstanceId: null, ttlDays: 30 };
  return { instance, chainHead: { seq: String(n), hash: prev }, rows };
}

describe('history archive verification', () => {
  it('verifies every chain of a whole archive', () => {
    const text = archiveLines([chain('a', 3), chain('b', 2)], new Date());
    expect(verifyArchiveText(text)).toEqual({ valid: true, instances: 2, events: 5, invalid: [] });
  });

  it('names the chain with an edited row, and one cut short', () => {
    // given
    const edited = chain('a', 3);
    edited.rows[1].payload = '{"i": 99}';
    const cut = chain('b', 3);
    cut.rows.pop();
    // when
    const verdict = verifyArchiveText(archiveLines([edited, cut, chain('c', 1)], new Date()));
    // then
    expect(verdict.valid).toBe(false);
    expect(verdict.invalid.map((i) => [i.instanceId, i.verdict.firstMismatch?.reason])).toEqual([
      ['a', expect.stringMatching(/content does not match its hash/)],
      ['b', expect.stringMatching(/the last 1 were removed/)],
    ]);
  });

  it('refuses a file that is not an archive', () => {
    expect(() => verifyArchiveText('{"kind":"something-else"}\n')).toThrow(/not a weft-history-archive/);
  });

  it('is what `weft audit verify-archive` prints, with its exit code', async () => {
    // given a good and a bad archive on disk, gzip'd as the retention writes them
    const good = join(dir, 'good.ndjson.gz');
    writeFileSync(good, gzipSync(archiveLines([chain('a', 2)], new Date())));
    const broken = chain('b', 2);
    broken.rows[0].actor = 'someone else';
    const bad = join(dir, 'bad.ndjson.gz');
    writeFileSync(bad, gzipSync(archiveLines([broken], new Date())));
    // when / then
    const ok = await run('node', ['scripts/weft.mjs', 'audit', 'verify-archive', good]);
    expect(ok.stdout).toMatch(/^valid: 1 instance\(s\), 2 event\(s\)/m);
    const failed = await run('node', ['scripts/weft.mjs', 'audit', 'verify-archive', bad]).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toMatch(/^b: INVALID — event 101 \(EVENT_1\)/m);
  }, 30_000);
});
