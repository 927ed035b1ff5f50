/**
 * Batch operations over the REST API, on one engine: a cancel over a search
 * (and only what it matched when the batch was made), a retry with one item
 * failing for a reason it names, a cancellation of a batch under way, the
 * request's checks, and who may make one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser, bearer } from '../../fixtures/people/client.js';
import { auditOf, deployFixture, ended, failIntoIncident, startInstances, stateOf } from './batch-helpers.js';

describe('batch operations', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft({}, { config: { batchOperations: { chunkSize: 2, pollMs: 200 } } });
    await deployFixture(t.api);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('cancels every instance a search matched when the batch was made, and only those', async () => {
    // given three instances of batch-target and one of another process
    const targets = await startInstances(t.api, 'batch-target', 3, 'cancel-me');
    const [bystander] = await startInstances(t.api, 'batch-bystander', 1, 'cancel-me');

    // when an operator makes a cancel batch over the search for batch-target's active instances
    const made = await t.api.post('/api/batch-operations', { kind: 'cancel', filter: { processId: 'batch-target', state: 'ACTIVE' }, reason: 'customer withdrew' });
    // and another batch-target instance starts afterwards
    const [later] = await startInstances(t.api, 'batch-target', 1, 'cancel-me');

    // then the batch holds the three, and ends with each canceled
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ kind: 'cancel', total: 3, actor: 'admin', reason: 'customer withdrew', filter: { processId: 'batch-target', state: 'ACTIVE' } });
    const batch = await ended(t.api, made.body.id);
    expect(batch).toMatchObject({ state: 'COMPLETED', total: 3, done: 3, failed: 0, skipped: 0, pending: 0 });
    expect(batch.endedAt).not.toBeNull();
    expect(batch.items.items.map((i: any) => i.instanceId).sort()).toEqual([...targets].sort());
    expect(batch.items.items.every((i: any) => i.state === 'done' && i.message === 'canceled' && i.attempts === 1)).toBe(true);
    // and the items come in pages, in the batch's order (oldest instance first)
    const page = await t.api.get(`/api/batch-operations/${made.body.id}?limit=1&offset=1`);
    expect(page.body.items).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ position: 2, instanceId: targets[1] }] });
    for (const id of targets) {
      expect(await stateOf(t.weft.db, id)).toBe('CANCELED');
      // the engine's own audit of the cancel names the batch
      expect(await auditOf(t.weft.db, id, 'INSTANCE_CANCELED')).toEqual([expect.objectContaining({ actor: `batch:${made.body.id}` })]);
    }
    // and the instance of the other process, and the one started later, run on
    expect(await stateOf(t.weft.db, bystander)).toBe('ACTIVE');
    expect(await stateOf(t.weft.db, later)).toBe('ACTIVE');
    // and the batch's creation is audited with who and why
    const created = await t.weft.db('audit').where({ type: 'BATCH_OPERATION_CREATED' }).whereRaw(`payload->>'batchOperationId' = ?`, [made.body.id]);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor: 'admin', process_instance_id: null, payload: { kind: 'cancel', reason: 'customer withdrew', total: 3, filter: { processId: 'batch-target', state: 'ACTIVE' } } });
    await t.api.post(`/api/process-instances/${later}/cancel`);
    await t.api.post(`/api/process-instances/${bystander}/cancel`);
  });

  it('retries the open incidents of each instance with new job retries, and reports an item it could not retry with the reason', async () => {
    // given two instances whose job failed into an incident, one without incident, and one canceled
    const failing = await startInstances(t.api, 'batch-target', 2, 'retry-me');
    await failIntoIncident(t.api, 'retry-me', 2);
    const [calm] = await startInstances(t.api, 'batch-target', 1, 'retry-calm');
    const [gone] = await startInstances(t.api, 'batch-target', 1, 'retry-gone');
    await t.api.post(`/api/process-instances/${gone}/cancel`);

    // when an operator makes a retry batch over them, with three new attempts for each job
    const made = await t.api.post('/api/batch-operations', { kind: 'retry', instanceIds: [...failing, calm, gone], retries: 3 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ kind: 'retry', parameters: { retries: 3 }, filter: null, total: 4 });
    const batch = await ended(t.api, made.body.id);

    // then the two incidents are resolved and their jobs handed out again with three retries
    expect(batch).toMatchObject({ state: 'COMPLETED', done: 2, skipped: 1, failed: 1 });
    const item = (id: string) => batch.items.items.find((i: any) => i.instanceId === id);
    for (const id of failing) {
      expect(item(id)).toMatchObject({ state: 'done', message: 'retried 1 incident(s) at work; job retries set to 3' });
      expect((await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items).toEqual([]);
      const [job] = await t.weft.db('jobs').where({ process_instance_id: id });
      expect(job).toMatchObject({ state: 'ACTIVATABLE', retries: 3 });
      expect(await auditOf(t.weft.db, id, 'JOB_RETRIES_UPDATED')).toEqual([expect.objectContaining({ actor: `batch:${made.body.id}`, payload: expect.objectContaining({ oldRetries: 0, retries: 3 }) })]);
      expect(await auditOf(t.weft.db, id, 'INCIDENT_RESOLVED')).toEqual([expect.objectContaining({ actor: `batch:${made.body.id}` })]);
    }
    // and the instance without incident is skipped, the canceled one failed with the engine's reason
    expect(item(calm)).toMatchObject({ state: 'skipped', message: 'no open incident' });
    expect(item(gone)).toMatchObject({ state: 'failed', message: `INSTANCE_NOT_ACTIVE: Process instance ${gone} is CANCELED: it has no incident to retry` });
    // and the failed items can be listed alone
    const failedOnly = await t.api.get(`/api/batch-operations/${made.body.id}?itemState=failed`);
    expect(failedOnly.body.items).toMatchObject({ total: 1, items: [{ instanceId: gone, state: 'failed' }] });
    for (const id of [...failing, calm]) await t.api.post(`/api/process-instances/${id}/cancel`);
  });

  it('fails an item whose instance does not exist, naming it', async () => {
    // when a batch names an instance id nobody started (twice, in two spellings)
    const nobody = '7e57e57e-0000-4000-8000-000000000001';
    const made = await t.api.post('/api/batch-operations', { kind: 'cancel', instanceIds: [nobody, nobody.toUpperCase()] });
    // then it holds one item, which fails with the engine's not-found
    expect(made.body.total).toBe(1);
    const batch = await ended(t.api, made.body.id);
    expect(batch).toMatchObject({ state: 'COMPLETED', failed: 1 });
    expect(batch.items.items[0]).toMatchObject({ instanceId: nobody, state: 'failed', message: `INSTANCE_NOT_FOUND: No process instance with id ${nobody}` });
  });

  it('makes a batch that matches nothing as completed, with no items', async () => {
    const made = await t.api.post('/api/batch-operations', { kind: 'cancel', filter: { processId: 'no-such-process' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ state: 'COMPLETED', total: 0, pending: 0 });
    expect(made.body.endedAt).not.toBeNull();
  });

  it('takes a filter by variable and by incident as the instance list does (regression: both were refused as unrecognized)', async () => {
    // given: a search the operations page sends, with the criteria a query string carries as text
    const filter = { processId: 'no-such-process', hasIncident: 'true', variableName: 'lot', variableValue: '"r"' };

    // when
    const made = await t.api.post('/api/batch-operations', { kind: 'cancel', filter });

    // then
    expect(made.status).toBe(201);
    expect(made.body.filter).toMatchObject({ processId: 'no-such-process', hasIncident: true, variable: { name: 'lot', value: 'r' } });
  });

  it('lists batches newest first, by state and kind', async () => {
    const all = await t.api.get('/api/batch-operations?limit=2');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    expect(all.body.items[0].createdAt >= all.body.items[1].createdAt).toBe(true);
    const retries = await t.api.get('/api/batch-operations?kind=retry');
    expect(retries.body.items.map((b: any) => b.kind)).toEqual(['retry']);
  });

  it('refuses a request it cannot run, naming the field and the reason, and makes nothing', async () => {
    // given
    const before = await t.weft.db('batch_operations').count({ n: '*' });
    const cases: [unknown, string, RegExp][] = [
      [{ kind: 'delete', instanceIds: ['7e57e57e-0000-4000-8000-000000000001'] }, 'kind', /must be one of cancel, retry/],
      [{ kind: 'cancel' }, 'filter', /either filter .* or instanceIds/],
      [{ kind: 'cancel', filter: { processId: 'x' }, instanceIds: ['7e57e57e-0000-4000-8000-000000000001'] }, 'filter', /not both/],
      [{ kind: 'cancel', filter: {} }, 'filter', /at least one criterion/],
      // an order is not a criterion: a filter of only an order would be every instance
      [{ kind: 'cancel', filter: { sortBy: 'createdAt' } }, 'filter', /Unrecognized key/],
      [{ kind: 'cancel', filter: { processID: 'batch-target' } }, 'filter', /processID/],
      [{ kind: 'cancel', filter: { state: 'SLEEPING' } }, 'filter.state', /./],
      [{ kind: 'cancel', instanceIds: ['not-a-uuid'] }, 'instanceIds.0', /UUID/],
      [{ kind: 'cancel', instanceIds: [] }, 'instanceIds', /at least one/],
      [{ kind: 'retry', instanceIds: ['7e57e57e-0000-4000-8000-000000000001'], retries: 0 }, 'retries', /at least 1/],
      [{ kind: 'cancel', instanceIds: ['7e57e57e-0000-4000-8000-000000000001'], retries: 3 }, '', /retries/],
      [{ kind: 'cancel', instanceIds: ['7e57e57e-0000-4000-8000-000000000001'], reason: '' }, 'reason', /empty/],
    ];
    for (const [body, field, reason] of cases) {
      // when
      const res = await t.api.post('/api/batch-operations', body);
      // then
      expect(res.status, JSON.stringify(body)).toBe(400);
      const detail = res.body.error.details.find((d: any) => d.path === field && reason.test(d.message)) ?? res.body.error.details.find((d: any) => reason.test(`${d.path} ${d.message}`));
      expect(detail, `${JSON.stringify(body)} → ${JSON.stringify(res.body.error.details)}`).toBeDefined();
    }
    expect(await t.weft.db('batch_operations').count({ n: '*' })).toEqual(before);
    // and an id that names no batch is a 404
    expect((await t.api.get('/api/batch-operations/not-an-id')).status).toBe(404);
    expect((await t.api.get('/api/batch-operations/7e57e57e-0000-4000-8000-000000000009')).body.error.code).toBe('BATCH_OPERATION_NOT_FOUND');
  });

  it('stops a batch under way: items not yet worked are skipped and their instances left alone', async () => {
    // given an engine that pauses a minute after each chunk of two, and a cancel batch over five instances
    const slow = await startTestWeft({}, { config: { batchOperations: { chunkSize: 2, pollMs: 200, pauseMs: 60_000 } } });
    try {
      await deployFixture(slow.api);
      const ids = await startInstances(slow.api, 'batch-target', 5, 'stop-me');
      const made = await slow.api.post('/api/batch-operations', { kind: 'cancel', instanceIds: ids });
      await eventually(async () => (await slow.api.get(`/api/batch-operations/${made.body.id}`)).body.done === 2);

      // when an operator cancels the batch
      const canceled = await slow.api.post(`/api/batch-operations/${made.body.id}/cancellation`, { reason: 'wrong search' });

      // then it is CANCELED, the three pending items skipped, their instances still active
      expect(canceled.status).toBe(200);
      expect(canceled.body).toMatchObject({ state: 'CANCELED', done: 2, skipped: 3, pending: 0, canceledBy: 'admin' });
      const items = (await slow.api.get(`/api/batch-operations/${made.body.id}`)).body.items.items;
      expect(items.map((i: any) => i.state)).toEqual(['done', 'done', 'skipped', 'skipped', 'skipped']);
      expect(items[4].message).toBe('batch operation canceled');
      expect(await Promise.all(ids.map((id) => stateOf(slow.weft.db, id)))).toEqual(['CANCELED', 'CANCELED', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
      expect(await slow.weft.db('audit').where({ type: 'BATCH_OPERATION_CANCELED', actor: 'admin' }).whereRaw(`payload->>'reason' = 'wrong search'`)).toHaveLength(1);
      // and canceling it again is a conflict
      const again = await slow.api.post(`/api/batch-operations/${made.body.id}/cancellation`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('BATCH_OPERATION_ENDED');
    } finally {
      await slow.stop();
    }
  });

  it('stops a batch in the middle of a chunk: the item under way ends as it ends, the engine starts none of the others it holds', async () => {
    // given an engine working a chunk of five, held up at the second instance (the test holds its row lock)
    const held = await startTestWeft({}, { config: { batchOperations: { chunkSize: 5, pollMs: 200 } } });
    const lock = await held.database.knex.transaction();
    try {
      await deployFixture(held.api);
      const ids = await startInstances(held.api, 'batch-target', 5, 'hold-me');
      await lock.raw('SELECT id FROM process_instances WHERE id = ? FOR UPDATE', [ids[1]]);
      const made = await held.api.post('/api/batch-operations', { kind: 'cancel', instanceIds: ids });
      await eventually(async () => {
        const { rows } = await held.database.knex.raw(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`);
        return rows[0].n > 0;
      });

      // when an operator cancels the batch, and then the second instance is free again
      const canceled = await held.api.post(`/api/batch-operations/${made.body.id}/cancellation`);
      expect(canceled.body).toMatchObject({ state: 'CANCELED', done: 1 });
      await lock.commit();

      // then the second instance's cancel, under way, completes; the three after it are skipped and run on
      const batch = await ended(held.api, made.body.id);
      expect(batch).toMatchObject({ state: 'CANCELED', done: 2, skipped: 3, pending: 0 });
      expect(batch.items.items.map((i: any) => i.state)).toEqual(['done', 'done', 'skipped', 'skipped', 'skipped']);
      expect(await Promise.all(ids.map((id) => stateOf(held.weft.db, id)))).toEqual(['CANCELED', 'CANCELED', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    } finally {
      if (!lock.isCompleted()) await lock.rollback();
      await held.stop();
    }
  });

  it('refuses a user and a modeler with 403, and a refused request makes, cancels and reveals nothing', async () => {
    // given a running instance, a batch, and a user and a modeler with tokens
    const [id] = await startInstances(t.api, 'batch-target', 1, 'refuse-me');
    const existing = (await t.api.post('/api/batch-operations', { kind: 'cancel', filter: { processId: 'no-such-process' } })).body;
    const clients = [];
    for (const role of ['user', 'modeler']) {
      await addUser(t.api, `batch-${role}`, role);
      const token = (await t.api.post('/api/tokens', { user: `batch-${role}`, name: 'batch' })).body.token;
      clients.push(bearer(t.weft.url!, token));
    }
    const before = { batches: await t.weft.db('batch_operations').count({ n: '*' }), audit: await t.weft.db('audit').count({ n: '*' }) };
    for (const client of clients) {
      // when
      const create = await client.post('/api/batch-operations', { kind: 'cancel', instanceIds: [id] });
      const list = await client.get('/api/batch-operations');
      const read = await client.get(`/api/batch-operations/${existing.id}`);
      const cancel = await client.post(`/api/batch-operations/${existing.id}/cancellation`);
      // then
      expect([create.status, list.status, read.status, cancel.status]).toEqual([403, 403, 403, 403]);
      expect(create.body.error.code).toBe('FORBIDDEN');
    }
    expect({ batches: await t.weft.db('batch_operations').count({ n: '*' }), audit: await t.weft.db('audit').count({ n: '*' }) }).toEqual(before);
    expect(await stateOf(t.weft.db, id)).toBe('ACTIVE');
  });
});
