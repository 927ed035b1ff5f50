/**
 * A `migrate` batch: every instance of a search rebound to another version
 * with one mapping, each instance's outcome reported — migrated, refused by
 * the migration with its reason, or skipped.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { openJob, openTask } from '../../support/operation-helpers.js';
import { auditOf, ended } from './batch-helpers.js';

const read = (name: string) => readFileSync(new URL(`../operations/${name}`, import.meta.url), 'utf8');

describe('a migrate batch', () => {
  let t: TestWeft;
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    t = await startTestWeft();
    v1 = (await t.api.deploy([{ name: 'migrate-v1.bpmn', xml: read('migrate-v1.bpmn') }])).body.processes[0].key;
    v2 = (await t.api.deploy([{ name: 'migrate-v2.bpmn', xml: read('migrate-v2.bpmn') }])).body.processes[0].key;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('migrates what its mapping covers, reports the migration refusal of the rest, and skips the ended', async () => {
    // given two instances of version 1 waiting at 'charge', one moved on to 'review', and one canceled
    const start = async () => {
      const { id } = (await t.api.post('/api/process-instances', { processId: 'migrate-order', version: 1, variables: { orderId: 'o-1' } })).body;
      await openJob(t.weft.db, id, 'mig-charge');
      return id as string;
    };
    const [a, b, atReview, canceled] = [await start(), await start(), await start(), await start()];
    const moved = await t.api.post(`/api/process-instances/${atReview}/modification`, { instructions: [{ type: 'move', fromElementId: 'charge', toElementId: 'review' }], reason: 'skip the charge' });
    expect(moved.status).toBe(200);
    await openTask(t.weft.db, atReview);
    await t.api.post(`/api/process-instances/${canceled}/cancel`, {});

    // when a batch migrates all four with a mapping for 'charge' only
    const created = await t.api.post('/api/batch-operations', {
      kind: 'migrate',
      instanceIds: [a, b, atReview, canceled],
      targetDefinitionKey: v2,
      mappings: [{ sourceElementId: 'charge', targetElementId: 'chargeCard' }],
      reason: 'version 2 charges by card',
    });
    expect(created.status).toBe(201);
    const batch = await ended(t.api, created.body.id);

    // then the two at 'charge' are on version 2, the one at 'review' failed with the migration's reason, the canceled one was skipped
    expect({ done: batch.done, failed: batch.failed, skipped: batch.skipped }).toEqual({ done: 2, failed: 1, skipped: 1 });
    const outcome = (id: string) => batch.items.items.find((i: { instanceId: string }) => i.instanceId === id);
    expect(outcome(a)).toMatchObject({ state: 'done', message: 'migrated from version 1 to 2' });
    expect(outcome(atReview).state).toBe('failed');
    expect(outcome(atReview).message).toMatch(/MIGRATION_REFUSED.*'review' has no mapping/);
    expect(outcome(canceled)).toMatchObject({ state: 'skipped' });
    const keys = await t.weft.db('process_instances').whereIn('id', [a, b, atReview]).orderBy('id').select('id', 'definition_key');
    expect(Object.fromEntries(keys.map((r) => [r.id, r.definition_key]))).toEqual({ [a]: v2, [b]: v2, [atReview]: v1 });
    expect((await auditOf(t.weft.db, a, 'INSTANCE_MIGRATED')).map((e) => e.actor)).toEqual([`batch:${created.body.id}`]);
  });

  it('refuses a migrate batch without its target, naming the field, and makes nothing', async () => {
    const before = await t.weft.db('batch_operations').count<{ count: string }[]>('* as count');
    const res = await t.api.post('/api/batch-operations', { kind: 'migrate', filter: { processId: 'migrate-order' }, mappings: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('targetDefinitionKey');
    expect(await t.weft.db('batch_operations').count<{ count: string }[]>('* as count')).toEqual(before);
  });
});
