/**
 * The hot path's two-round-trip transaction gives its connection back clean,
 * whichever of its statements fails: a connection left in an aborted
 * transaction would fail the next user of the pool ("current transaction is
 * aborted"), and behind PgBouncer in transaction mode would keep its server
 * connection pinned to that client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastTransaction } from '../../../engine/persistence/fast-transaction.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('fastTransaction', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    // One connection: whatever a failed transaction leaves on it, the next query meets.
    database = await createTestDatabase({ poolMax: 1, migrate: false });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('rolls back when the statement sent with BEGIN fails, so the pooled connection answers the next query', async () => {
    // given a transaction whose first statement fails after its BEGIN ran
    const failing = fastTransaction(database.knex, { sql: 'SELECT 1 / ? AS x', bindings: [0] }, async () => ({ result: 'unreached' }));
    await expect(failing).rejects.toThrow(/division by zero/);

    // when the pool's only connection is used again
    const { rows } = await database.knex.raw('SELECT 1 AS answer');

    // then it is outside any transaction, not aborted
    expect(rows).toEqual([{ answer: 1 }]);
    const { rows: state } = await database.knex.raw('SELECT now() = statement_timestamp() AS outside');
    expect(state[0].outside).toBe(true);
  });

  it('rolls back when the body throws, and commits nothing of it', async () => {
    await database.knex.raw('CREATE TABLE IF NOT EXISTS fast_tx_probe (id int primary key)');
    const failing = fastTransaction(database.knex, { sql: 'SELECT 1 AS x', bindings: [] }, async (_rows, tx) => {
      await tx.query('INSERT INTO fast_tx_probe VALUES (?)', [1]);
      throw new Error('body failed');
    });
    await expect(failing).rejects.toThrow('body failed');
    const { rows } = await database.knex.raw('SELECT count(*)::int AS n FROM fast_tx_probe');
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('commits the final statement with COMMIT', async () => {
    await database.knex.raw('CREATE TABLE IF NOT EXISTS fast_tx_probe (id int primary key)');
    const result = await fastTransaction(database.knex, { sql: 'SELECT 2 AS x', bindings: [] }, async (rows) => ({
      result: rows[0].x,
      finalSql: { sql: 'INSERT INTO fast_tx_probe VALUES (?)', bindings: [rows[0].x] },
    }));
    expect(result).toBe(2);
    const { rows } = await database.knex.raw('SELECT id FROM fast_tx_probe');
    expect(rows).toEqual([{ id: 2 }]);
  });
});
