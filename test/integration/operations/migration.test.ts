/**
 * POST /api/process-instances/:id/migration: an instance rebound to another
 * version of its process, Camunda 8's way (every active element mapped
 * explicitly), through the real engine on Postgres and Redis.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { instanceRows, openJob, openTask } from '../../support/operation-helpers.js';

const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

describe('migrating a running instance to another version', () => {
  let t: TestWeft;
  let v1: string;
  let v2: string;
  let other: string;
  const migrate = (id: string, body: unknown) => t.api.post(`/api/process-instances/${id}/migration`, body);
  const startV1 = async () => {
    const { id } = (await t.api.post('/api/process-instances', { processId: 'migrate-order', version: 1, variables: { orderId: 'o-7' } })).body;
    await openJob(t.weft.db, id, 'mig-charge');
    return id as string;
  };

  beforeAll(async () => {
    t = await startTestWeft();
    v1 = (await t.api.deploy([{ name: 'migrate-v1.bpmn', xml: read('migrate-v1.bpmn') }])).body.processes[0].key;
    v2 = (await t.api.deploy([{ name: 'migrate-v2.bpmn', xml: read('migrate-v2.bpmn') }])).body.processes[0].key;
    other = (await t.api.deploy([{ name: 'migrate-other.bpmn', xml: read('migrate-other.bpmn') }])).body.processes[0].key;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a dry run answers what each active element would become, and changes nothing', async () => {
    // given an instance of version 1 waiting at 'charge'
    const id = await startV1();
    const before = await instanceRows(t.weft.db, id);
    // when a dry run maps 'charge' to version 2's 'chargeCard'
    const res = await migrate(id, { targetDefinitionKey: v2, mappings: [{ sourceElementId: 'charge', targetElementId: 'chargeCard' }], dryRun: true });
    // then it lists the element: its job kept, the target's timer boundary event opened
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ processInstanceId: id, dryRun: true, sourceDefinitionKey: v1, sourceVersion: 1, targetDefinitionKey: v2, targetVersion: 2 });
    expect(res.body.elements).toEqual([
      { elementInstanceKey: expect.any(String), sourceElementId: 'charge', targetElementId: 'chargeCard', kind: 'serviceTask', waitState: 'kept', boundaryEvents: { kept: [], closed: [], opened: ['chargeTimeout'] } },
    ]);
    expect(await instanceRows(t.weft.db, id)).toEqual(before);
  });

  it('refuses, dry or not, an instance waiting in an element without a mapping, naming each, and changes nothing', async () => {
    // given an instance at 'charge'
    const id = await startV1();
    const before = await instanceRows(t.weft.db, id);
    for (const dryRun of [true, false]) {
      // when it is migrated with no mapping for 'charge' (version 2 has no 'charge', and equal ids are never implied)
      const res = await migrate(id, { targetDefinitionKey: v2, mappings: [{ sourceElementId: 'review', targetElementId: 'review' }], dryRun });
      // then the refusal names the unmapped element
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('MIGRATION_REFUSED');
      expect(res.body.error.message).toMatch(/'charge' has no mapping/);
      expect(res.body.error.details.problems).toEqual([{ elementId: 'charge', message: "Active element 'charge' has no mapping" }]);
    }
    expect(await instanceRows(t.weft.db, id)).toEqual(before);
  });

  it('refuses a mapping across element types, a target of another process, and an unknown target', async () => {
    const id = await startV1();
    const before = await instanceRows(t.weft.db, id);
    // a service task mapped to a user task
    const crossed = await migrate(id, { targetDefinitionKey: v2, mappings: [{ sourceElementId: 'charge', targetElementId: 'review' }] });
    expect(crossed.status).toBe(422);
    expect(crossed.body.error.message).toMatch(/'charge' is a serviceTask and cannot be mapped to 'review', a userTask/);
    // a version of another process
    const elsewhere = await migrate(id, { targetDefinitionKey: other, mappings: [{ sourceElementId: 'charge', targetElementId: 'charge' }] });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.message).toMatch(/process 'migrate-other', not of 'migrate-order'/);
    // no such definition, and no definition key at all
    const unknown = await migrate(id, { targetDefinitionKey: '3f2b9c1e-0d4a-4c1b-9a5e-7b8c6d5e4f3a', mappings: [] });
    expect(unknown.status).toBe(404);
    const malformed = await migrate(id, { targetDefinitionKey: 'v2', mappings: [] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].path).toBe('targetDefinitionKey');
    expect(await instanceRows(t.weft.db, id)).toEqual(before);
  });

  it('applies: the job is kept under its new element id, the instance runs on version 2 to its end, and the audit names actor and mapping', async () => {
    // given an instance of version 1 at 'charge' with its job handed out
    const id = await startV1();
    const job = await openJob(t.weft.db, id, 'mig-charge');
    const mappings = [{ sourceElementId: 'charge', targetElementId: 'chargeCard' }];

    // when it is migrated to version 2
    const res = await migrate(id, { targetDefinitionKey: v2, mappings });

    // then it runs on version 2, the same job now belongs to 'chargeCard', and the new timer is armed
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(false);
    const detail = (await t.api.get(`/api/process-instances/${id}`)).body;
    expect(detail).toMatchObject({ version: 2, definitionKey: v2, variables: { orderId: 'o-7' } });
    const rows = await instanceRows(t.weft.db, id);
    // what Postgres holds (a fresh engine reads this): the header and the element and job entries rebound
    expect(rows.instance).toMatchObject({ definition_key: v2, version: 2, state: { definitionKey: v2, version: 2 } });
    const stored = rows.entries.filter((e) => e.kind !== 'wait').map((e) => [e.kind, (e.value as { elementId: string }).elementId]).sort();
    expect(stored).toEqual([['element', 'chargeCard'], ['element', 'migrate-order'], ['job', 'chargeCard']]);
    expect(rows.jobs).toEqual([{ key: job.key, element_id: 'chargeCard', state: 'ACTIVATABLE' }]);
    expect(rows.timers.map((r) => [r.element_id, r.state])).toEqual([['chargeTimeout', 'ACTIVE']]);
    expect((await t.weft.db('timers').where({ process_instance_id: id }).first()).definition_key).toBe(v2);
    const migrated = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.filter((e: { type: string }) => e.type === 'INSTANCE_MIGRATED');
    expect(migrated).toHaveLength(1);
    expect(migrated[0]).toMatchObject({ actor: 'admin', payload: { actor: 'admin', from: { definitionKey: v1, version: 1 }, to: { definitionKey: v2, version: 2 }, mappings } });

    // when the kept job is completed, version 2's new fraud check runs, then the review
    expect((await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { charged: true } })).status).toBe(200);
    const fraud = await openJob(t.weft.db, id, 'mig-fraud');
    expect(fraud.element_id).toBe('fraudCheck');
    expect((await t.weft.db('timers').where({ process_instance_id: id }).first()).state).toBe('CANCELED');
    expect((await t.api.post(`/api/jobs/${fraud.key}/complete`, {})).status).toBe(200);
    const task = await openTask(t.weft.db, id);
    expect((await t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: true } })).status).toBe(200);
    const done = await eventually(async () => {
      const d = (await t.api.get(`/api/process-instances/${id}`)).body;
      return d.state === 'COMPLETED' ? d : null;
    });
    expect(done).toMatchObject({ version: 2, variables: { orderId: 'o-7', charged: true, approved: true } });
  });

  it('keeps an inbox task through a migration: same task, its element the mapped one', async () => {
    // given an instance waiting in the user task 'review'
    const id = await startV1();
    const job = await openJob(t.weft.db, id, 'mig-charge');
    await t.api.post(`/api/jobs/${job.key}/complete`, {});
    const task = await openTask(t.weft.db, id);
    // when it is migrated with 'review' mapped to itself
    const res = await migrate(id, { targetDefinitionKey: v2, mappings: [{ sourceElementId: 'review', targetElementId: 'review' }] });
    expect(res.status).toBe(200);
    expect(res.body.elements).toMatchObject([{ sourceElementId: 'review', targetElementId: 'review', waitState: 'kept' }]);
    // then the same task completes the instance on version 2
    expect((await t.api.post(`/api/tasks/${task.id}/complete`, {})).status).toBe(200);
    const done = await eventually(async () => ((await t.api.get(`/api/process-instances/${id}`)).body.state === 'COMPLETED' ? true : null));
    expect(done).toBe(true);
  });

  it('refuses a user or a modeler with 403 and changes nothing', async () => {
    const id = await startV1();
    const before = await instanceRows(t.weft.db, id);
    for (const role of ['user', 'modeler']) {
      await addUser(t.api, `mig-${role}`, role);
      const token = (await t.api.post('/api/tokens', { user: `mig-${role}`, name: 'try' })).body.token;
      const res = await apiClient(t.weft.url!, token).post(`/api/process-instances/${id}/migration`, { targetDefinitionKey: v2, mappings: [{ sourceElementId: 'charge', targetElementId: 'chargeCard' }] });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await instanceRows(t.weft.db, id)).toEqual(before);
  });
});
