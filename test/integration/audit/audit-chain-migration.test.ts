/**
 * The audit chain migration chains the rows recorded before it (in id order,
 * per instance and for the events of no instance), and the rows written
 * after it continue those chains — the verifier's bytes match Postgres's,
 * non-ASCII text and nested payloads included.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as chainMigration from '../../../db/migrations/20261213000002_audit_chain.js';
import * as perStatement from '../../../db/migrations/20261213000004_audit_seal_per_statement.js';
import * as setBased from '../../../db/migrations/20261215000100_audit_seal_set_based.js';
import { verifyChain } from '../../../engine/audit/audit-chain.js';
import { readChain } from '../../../engine/audit/audit-chain-repository.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('audit chain migration', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('chains the rows recorded before it, and later rows continue each chain', async () => {
    // given a database as it was before the chain, with rows of two instances and of none
    const db = database.knex;
    await perStatement.down(db);
    await chainMigration.down(db);
    const [a, b] = [randomUUID(), randomUUID()];
    const rows = [
      { process_instance_id: a, actor: 'engine', type: 'INSTANCE_STARTED', payload: { z: 1, a: [1, 2.50, { ü: 'ñ' }] } },
      { process_instance_id: null, actor: 'Zoë', type: 'USER_ADDED', payload: { name: 'ø', note: 'line\nbreak "quoted"' } },
      { process_instance_id: b, actor: 'engine', type: 'INSTANCE_STARTED', payload: null },
      { process_instance_id: a, actor: 'worker-1', type: 'JOB_COMPLETED', payload: { big: 12345678901234567890, small: 1e-7 } },
      { process_instance_id: a, actor: 'engine', type: 'ELEMENT_COMPLETED', payload: {}, element_id: 'task_😀' },
    ];
    for (const row of rows) await db('audit').insert(row);
    // when the migration runs
    await chainMigration.up(db);
    await perStatement.up(db);
    await setBased.up(db);
    // then every chain verifies, in the order its rows were written
    const ofA = await readChain(db, a);
    expect(ofA.rows.map((r) => r.type)).toEqual(['INSTANCE_STARTED', 'JOB_COMPLETED', 'ELEMENT_COMPLETED']);
    expect(verifyChain(ofA.rows, ofA.headSeq)).toEqual({ valid: true, events: 3, firstMismatch: null });
    const none = await readChain(db, null);
    expect(verifyChain(none.rows, none.headSeq)).toEqual({ valid: true, events: 1, firstMismatch: null });
    // and rows written after it continue the chains the migration made: two statements of one transaction, one of them of two chains
    await db.transaction(async (trx) => {
      await trx('audit').insert({ process_instance_id: a, actor: 'operator', type: 'INSTANCE_CANCELED', payload: { reason: 'done — for now' } });
      await trx('audit').insert([
        { process_instance_id: b, actor: 'operator', type: 'INSTANCE_CANCELED', payload: null },
        { process_instance_id: a, actor: 'operator', type: 'NOTE', payload: { n: 1 } },
      ]);
    });
    const after = await readChain(db, a);
    expect(after.rows.map((r) => r.chainSeq)).toEqual(['1', '2', '3', '4', '5']);
    expect(after.rows[3]).toMatchObject({ prevHash: ofA.rows.at(-1)!.hash });
    expect(after.headSeq).toBe(5);
    expect(verifyChain(after.rows, after.headSeq).valid).toBe(true);
    const ofB = await readChain(db, b);
    expect(verifyChain(ofB.rows, ofB.headSeq)).toEqual({ valid: true, events: 2, firstMismatch: null });
  });

  it('one statement of many chains, new and continued and of no instance, chains each in its own line; and the way down keeps them', async () => {
    const db = database.knex;
    const old = [randomUUID(), randomUUID()];
    for (const id of old) await db('audit').insert({ process_instance_id: id, actor: 'engine', type: 'INSTANCE_STARTED', payload: { id } });
    // when one insert carries rows of 2 continued chains, 20 new ones and the chain of no instance, interleaved
    const fresh = Array.from({ length: 20 }, () => randomUUID());
    const rows = [...old, ...fresh, null].flatMap((id, i) => [0, 1, 2].map((k) => ({ process_instance_id: id, actor: `w${i}`, type: `STEP_${k}`, payload: { k } })));
    await db('audit').insert(rows.sort((x, y) => x.type.localeCompare(y.type)));
    // then every chain verifies, its rows in the order written
    for (const id of [...old, ...fresh]) {
      const chain = await readChain(db, id);
      const expected = old.includes(id) ? ['INSTANCE_STARTED', 'STEP_0', 'STEP_1', 'STEP_2'] : ['STEP_0', 'STEP_1', 'STEP_2'];
      expect(chain.rows.map((r) => r.type)).toEqual(expected);
      expect(verifyChain(chain.rows, chain.headSeq)).toEqual({ valid: true, events: expected.length, firstMismatch: null });
    }
    const none = await readChain(db, null);
    expect(verifyChain(none.rows, none.headSeq).valid).toBe(true);
    // and after the way down (the per-chain trigger again) the chains go on
    await setBased.down(db);
    await db('audit').insert(fresh.slice(0, 3).map((id) => ({ process_instance_id: id, actor: 'engine', type: 'AFTER_DOWN', payload: null })));
    const chain = await readChain(db, fresh[0]);
    expect(chain.rows.map((r) => r.chainSeq)).toEqual(['1', '2', '3', '4']);
    expect(verifyChain(chain.rows, chain.headSeq).valid).toBe(true);
    await setBased.up(db);
  });

  it('keeps a chain whole when a savepoint is rolled back: its rows leave the chain with it', async () => {
    // given a chain of one row
    const db = database.knex;
    const id = randomUUID();
    await db('audit').insert({ process_instance_id: id, actor: 'engine', type: 'INSTANCE_STARTED', payload: {} });
    // when a transaction writes a row, then one in a savepoint it rolls back, then another
    await db.transaction(async (trx) => {
      await trx('audit').insert({ process_instance_id: id, actor: 'engine', type: 'KEPT', payload: {} });
      await trx.transaction(async (savepoint) => {
        await savepoint('audit').insert({ process_instance_id: id, actor: 'engine', type: 'ROLLED_BACK', payload: {} });
        throw new Error('undo');
      }).catch(() => undefined);
      await trx('audit').insert({ process_instance_id: id, actor: 'engine', type: 'AFTER', payload: {} });
    });
    // then the chain has no gap and verifies
    const chain = await readChain(db, id);
    expect(chain.rows.map((r) => [r.type, r.chainSeq])).toEqual([['INSTANCE_STARTED', '1'], ['KEPT', '2'], ['AFTER', '3']]);
    expect(verifyChain(chain.rows, chain.headSeq)).toEqual({ valid: true, events: 3, firstMismatch: null });
  });
});
