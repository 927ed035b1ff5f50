/**
 * Batch operations are rows in Postgres, worked by whichever engine comes:
 * a batch stopped after its first chunk goes on in the next engine, with
 * Redis emptied in between; two engines on one batch apply each item once;
 * two claims at the same moment take different items; and an item whose
 * effect committed just before its engine stopped is not applied twice.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../../engine/weft.js';
import { BatchRepository } from '../../../engine/features/batch-operations/batch-repository.js';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { cleanupPrefix, openTestRedis } from '../../support/test-redis.js';
import { auditOf, deployFixture, startInstances, stateOf } from './batch-helpers.js';

const silent = pino({ level: 'silent' });

describe('batch operations across engines', () => {
  const engines: Weft[] = [];
  const tests: TestWeft[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
    for (const t of tests.splice(0)) await t.stop();
  });

  async function batchRow(t: TestWeft, id: string) {
    return t.weft.db('batch_operations').where({ id }).first();
  }

  it('goes on after the engine stops mid-way and Redis loses everything, and applies each item once', async () => {
    // given an engine that pauses a minute after each chunk of two, and a cancel batch over five instances
    const t = await startTestWeft({}, { config: { batchOperations: { chunkSize: 2, pollMs: 100, pauseMs: 60_000 } } });
    tests.push(t);
    await deployFixture(t.api);
    const ids = await startInstances(t.api, 'batch-target', 5, 'restart-me');
    const made = (await t.api.post('/api/batch-operations', { kind: 'cancel', filter: { processId: 'batch-target' } })).body;
    await eventually(async () => (await batchRow(t, made.id)).done === 2);

    // when the engine stops after its first chunk, Redis loses the engine's keys, and another engine starts
    await t.weft.close();
    const db = t.database.knex; // the stopped engine's pool is gone; the test's own connection
    expect(await db('batch_operations').where({ id: made.id }).first()).toMatchObject({ state: 'RUNNING', done: 2 });
    expect((await Promise.all(ids.map((id) => stateOf(db, id)))).filter((s) => s === 'CANCELED')).toHaveLength(2);
    const redis = openTestRedis();
    await cleanupPrefix(redis, t.config.queuePrefix);
    await redis.quit();
    const next = await startWeft({ config: { ...t.config, batchOperations: { chunkSize: 2, pollMs: 100, pauseMs: 0 } }, logger: silent, http: false, migrate: false });
    engines.push(next);

    // then the new engine finishes the batch, and every instance was canceled once, by the batch
    const done = await eventually(async () => {
      const row = await next.db('batch_operations').where({ id: made.id }).first();
      return row.state === 'COMPLETED' && row;
    });
    expect(done).toMatchObject({ total: 5, done: 5, failed: 0, skipped: 0 });
    for (const id of ids) {
      expect(await stateOf(next.db, id)).toBe('CANCELED');
      expect(await auditOf(next.db, id, 'INSTANCE_CANCELED')).toEqual([expect.objectContaining({ actor: `batch:${made.id}` })]);
    }
    const attempts = await next.db('batch_operation_items').where({ operation_id: made.id }).pluck('attempts');
    expect(attempts).toEqual([1, 1, 1, 1, 1]);
  });

  it('two engines working one batch apply each item exactly once', async () => {
    // given two engines on one database, each claiming one item at a time and looking for work every 20 ms
    const settings = { batchOperations: { chunkSize: 1, pollMs: 20, pauseMs: 0 } };
    const a = await startTestWeft({}, { config: settings });
    tests.push(a);
    const b = await startWeft({ config: a.config, logger: silent, http: false, migrate: false });
    engines.push(b);
    await deployFixture(a.api);
    const ids = await startInstances(a.api, 'batch-target', 24, 'share-me');

    // when a batch over them is made on the first
    const made = (await a.api.post('/api/batch-operations', { kind: 'cancel', instanceIds: ids })).body;

    // then it completes with every instance canceled once, each item worked in one attempt
    const row = await eventually(async () => {
      const r = await batchRow(a, made.id);
      return r.state === 'COMPLETED' && r;
    });
    expect(row).toMatchObject({ total: 24, done: 24, failed: 0, skipped: 0 });
    const cancels = await a.weft.db('audit').whereIn('process_instance_id', ids).andWhere({ type: 'INSTANCE_CANCELED' }).select('process_instance_id', 'actor');
    expect(cancels.map((c: any) => c.process_instance_id).sort()).toEqual([...ids].sort());
    expect(new Set(cancels.map((c: any) => c.actor))).toEqual(new Set([`batch:${made.id}`]));
    expect(await a.weft.db('batch_operation_items').where({ operation_id: made.id }).whereNot({ attempts: 1 }).count({ n: '*' })).toEqual([{ n: '0' }]);
  });

  it('two claims at the same moment take different items, and a held item is taken by nobody else', async () => {
    // given a batch of twenty on an engine that works no batches itself
    const t = await startTestWeft({ features: false });
    tests.push(t);
    await deployFixture(t.api);
    const ids = await startInstances(t.api, 'batch-target', 20, 'claim-me');
    const made = (await t.api.post('/api/batch-operations', { kind: 'cancel', instanceIds: ids })).body;
    const repo = new BatchRepository(t.weft.db);

    // when two engines claim ten items each at once
    const [first, second] = await Promise.all([repo.claim('engine-a', 10, 60_000), repo.claim('engine-b', 10, 60_000)]);

    // then they share none, and together hold all twenty
    const positions = (items: { position: number }[]) => items.map((i) => i.position);
    expect(first).toHaveLength(10);
    expect(second).toHaveLength(10);
    expect(positions(first).filter((p) => positions(second).includes(p))).toEqual([]);
    expect(new Set([...first, ...second].map((i) => i.instanceId))).toEqual(new Set(ids));
    // and while their claims hold, a third finds nothing, and an outcome under another's token is not recorded
    expect(await repo.claim('engine-c', 10, 60_000)).toEqual([]);
    expect(await repo.finish(first[0], 'engine-c', 'done', 'forged')).toBe(false);
    expect((await batchRow(t, made.id)).done).toBe(0);
  });

  it('an item whose effect committed just before its engine stopped is not applied again, and counts as done', async () => {
    // given a batch whose first item's instance was canceled by the batch, by an engine that stopped before recording it
    const t = await startTestWeft({ features: false });
    tests.push(t);
    await deployFixture(t.api);
    const ids = await startInstances(t.api, 'batch-target', 2, 'crash-me');
    const made = (await t.api.post('/api/batch-operations', { kind: 'cancel', instanceIds: ids })).body;
    await t.weft.engine.cancelInstance(ids[0], `batch:${made.id}`);
    await t.weft.db('batch_operation_items').where({ operation_id: made.id, position: 1 }).update({ attempts: 1, claimed_by: 'stopped-engine', claimed_until: t.weft.db.raw(`now() - interval '1 second'`) });

    // when an engine that works batches comes
    const next = await startWeft({ config: { ...t.config, batchOperations: { pollMs: 50 } }, logger: silent, http: false, migrate: false });
    engines.push(next);

    // then both items are done, the first on its second attempt, and the first instance was canceled only once
    const row = await eventually(async () => {
      const r = await batchRow(t, made.id);
      return r.state === 'COMPLETED' && r;
    });
    expect(row).toMatchObject({ done: 2, skipped: 0, failed: 0 });
    const items = await t.weft.db('batch_operation_items').where({ operation_id: made.id }).orderBy('position');
    expect(items.map((i: any) => [i.state, i.message, i.attempts])).toEqual([
      ['done', 'canceled', 2],
      ['done', 'canceled', 1],
    ]);
    expect(await auditOf(t.weft.db, ids[0], 'INSTANCE_CANCELED')).toHaveLength(1);
  });
});
