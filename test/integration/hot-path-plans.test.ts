/**
 * The hot path finds its rows through indexes however large the tables have
 * grown and whatever plans its connections cached while they were small.
 *
 * Postgres takes JSON sent as rows (jsonb_to_recordset, jsonb_array_elements)
 * to be 100 rows, and once chose a sequential scan of `jobs`,
 * `process_instances` and `instance_entries` for every write while those
 * tables held a few thousand rows (engine/persistence/sized-rows.ts); the
 * audit seal's cached generic plans scanned `audit_chain_heads` (migration
 * 20261216000100). Here an engine works on a fresh database (its connections
 * cache their plans), the tables then grow to thousands of rows, and the
 * same work again must scan none of them (a batch of a dozen instances
 * deletes some 50 entries: against a table of 20,000 rows probing the index
 * is the cheaper plan, as the planner itself finds).
 * parallel-two-jobs.bpmn: a fork into service tasks `a` and `b`, and a join.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import knex from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { createTestDatabase } from '../support/test-database.js';
import { startWeft, type Weft } from '../../engine/weft.js';

const parallel = readFileSync(new URL('../fixtures/engine/parallel-two-jobs.bpmn', import.meta.url), 'utf8');
const HOT_TABLES = ['jobs', 'process_instances', 'instance_entries', 'audit_chain_heads'];
const GROWN = 20_000;

describe('the hot path on grown tables', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft({ background: false });
    await t.weft.engine.deploy([{ name: 'parallel-two-jobs.bpmn', content: parallel }], 'test');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const engineOn = () => startWeft({ config: { ...t.config }, logger: pino({ level: 'silent' }), http: false, background: false, features: false, migrate: false });

  /** Starts instances, hands out their jobs as workers do and completes them, alone and several at once. */
  async function work(weft: Weft, instances: number): Promise<void> {
    const ids: string[] = [];
    for (let i = 0; i < instances; i++) ids.push((await weft.engine.startInstance({ processId: 'parallel-two-jobs' }, 'test')).id);
    const jobs = await weft.db('jobs').whereIn('process_instance_id', ids).select('key', 'type');
    for (const [i, job] of jobs.entries()) {
      expect(await weft.engine.activateJob(job.key, 'plans-test', 60_000)).not.toBeNull();
      // the a-branches one by one, the b-branches together (a batch)
      if (job.type === 'branch-a') expect(await weft.engine.completeJob(job.key, { i }, 'test')).toEqual({ duplicate: false });
    }
    const together = await Promise.all(jobs.filter((j) => j.type === 'branch-b').map((j) => weft.engine.completeJob(j.key, {}, 'test')));
    expect(together.every((r) => !r.duplicate)).toBe(true);
    const done = await weft.db('process_instances').whereIn('id', ids).where({ status: 'COMPLETED' }).count({ n: '*' });
    expect(Number(done[0].n)).toBe(instances);
  }

  /** Rows of ended instances, as months of history leave them: many per hot table. */
  async function grow(): Promise<void> {
    const db = knex({ client: 'pg', connection: t.config.databaseUrl });
    try {
      const { key } = await db('process_definitions').first('key');
      await db.raw(
        `WITH made AS (
           INSERT INTO process_instances (id, definition_key, process_id, version, status, state, created_at, updated_at, ended_at)
           SELECT gen_random_uuid(), ?, 'parallel-two-jobs', 1, 'COMPLETED', '{}'::jsonb, now(), now(), now() FROM generate_series(1, ?) RETURNING id)
         , entries AS (INSERT INTO instance_entries (instance_id, kind, key, value) SELECT id, 'element', id::text, '{"variables":{}}'::jsonb FROM made)
         , heads AS (INSERT INTO audit_chain_heads (chain, seq, hash, prev) SELECT id::text, 1, repeat('0', 64), repeat('0', 64) FROM made)
         INSERT INTO jobs (key, type, process_instance_id, process_id, element_id, element_instance_key, state, retries, headers, variables)
         SELECT gen_random_uuid(), t, id, 'parallel-two-jobs', 'a', '2', 'COMPLETED', 3, '{}', '{}' FROM made, (VALUES ('branch-a'), ('branch-b')) AS v(t)`,
        [key, GROWN],
      );
    } finally {
      // The connection's own statistics go with it, before the counters are reset below.
      await db.destroy();
    }
  }

  it('scans none of jobs, process_instances, instance_entries or audit_chain_heads', async () => {
    // given an engine that worked while the tables were nearly empty (its connections keep the plans they made then)
    const engine = await engineOn();
    try {
      await work(engine, 12);

      // and tables grown to thousands of rows since
      await grow();
      // A connection reports its counts once idle for 10 s at most: wait, so none from before lands after the reset.
      await new Promise((r) => setTimeout(r, 11_000));
      await t.weft.db.raw('SELECT pg_stat_reset()');

      // when the same engine works again
      await work(engine, 12);
    } finally {
      // Its connections end, and so report their counts.
      await engine.close();
    }

    // then no hot table was read by a sequential scan
    const counted = async () => {
      await t.weft.db.raw('SELECT pg_stat_clear_snapshot()');
      return (await t.weft.db('pg_stat_user_tables').whereIn('relname', HOT_TABLES).select('relname', 'seq_scan', 'idx_scan')) as { relname: string; seq_scan: string; idx_scan: string }[];
    };
    let stats = await counted();
    // The ended connections' counts arrive as they exit: wait until the index scans of the work show.
    for (let i = 0; i < 50 && !stats.some((s) => s.relname === 'jobs' && Number(s.idx_scan) > 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      stats = await counted();
    }
    expect(stats.find((s) => s.relname === 'jobs')!.idx_scan).not.toBe('0');
    expect(Object.fromEntries(stats.map((s) => [s.relname, Number(s.seq_scan)]))).toEqual(Object.fromEntries(HOT_TABLES.map((name) => [name, 0])));
  }, 60_000);
});

describe('the audit seal on a grown chain table', () => {
  it('finds the chains of an insert by their key on a connection that sealed while the table was small', async () => {
    // given one connection that sealed many audit inserts of several chains while audit_chain_heads was nearly empty
    const database = await createTestDatabase({ poolMax: 1 });
    const db = database.knex;
    const insertAudit = async (chains: number) => {
      const rows = Array.from({ length: chains }, () => randomUUID()).flatMap((id) => [
        { process_instance_id: id, actor: 'test', type: 'A' },
        { process_instance_id: id, actor: 'test', type: 'B' },
      ]);
      await db('audit').insert(rows);
    };
    try {
      for (let i = 0; i < 30; i++) await insertAudit(1 + (i % 5));

      // and the chains' heads grown to thousands since
      await db.raw(`INSERT INTO audit_chain_heads (chain, seq, hash, prev) SELECT gen_random_uuid()::text, 1, repeat('0', 64), repeat('0', 64) FROM generate_series(1, ?)`, [GROWN]);
      await db.raw('SELECT pg_stat_reset()');

      // when the same connection seals more
      for (let i = 0; i < 30; i++) await insertAudit(1 + (i % 5));
    } catch (error) {
      await database.drop();
      throw error;
    }
    // Its connection ends, and so reports its counts; another reads them.
    await db.destroy();
    const reader = knex({ client: 'pg', connection: database.url });

    // then it read fewer heads than one scan of the table would (a plan cached while the table was small read them all, every insert)
    let read = -1;
    for (let i = 0; i < 50 && read < 0; i++) {
      await reader.raw('SELECT pg_stat_clear_snapshot()');
      const row = await reader('pg_stat_user_tables').where({ relname: 'audit_chain_heads' }).first('seq_tup_read', 'idx_scan');
      if (Number(row.idx_scan) > 0) read = Number(row.seq_tup_read);
      else await new Promise((r) => setTimeout(r, 100));
    }
    await reader.destroy();
    await database.drop();
    expect(read).toBeGreaterThanOrEqual(0);
    expect(read).toBeLessThan(GROWN);
  });
});
