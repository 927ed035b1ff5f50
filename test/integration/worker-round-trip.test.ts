import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const orderApproval = readFileSync(new URL('../../processes/order-approval.bpmn', import.meta.url), 'utf8');

describe('a process with workers and a user task, end to end', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('dispatches service tasks through BullMQ to in-process workers and waits for the person', async () => {
    // given
    const seen: Record<string, unknown>[] = [];
    t.weft.worker('check-stock', (job) => {
      seen.push({ type: job.type, headers: job.headers });
      return { inStock: true };
    });
    t.weft.worker('ship', (job) => ({ trackingNumber: `T-${job.variables.reference}` }));
    expect((await t.api.deploy([{ name: 'order-approval.bpmn', xml: orderApproval }])).status).toBe(201);

    // when
    const started = await t.api.post('/api/process-instances', { processId: 'order-approval', variables: { amount: 5000, orderId: 'o-7' } });
    expect(started.status).toBe(201);
    const id = started.body.id;
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${id}`)).body.items[0]);
    expect(task).toMatchObject({ elementId: 'approve', candidateGroups: ['sales'], state: 'CREATED' });
    expect((await t.api.post(`/api/tasks/${task.id}/claim`, { assignee: 'alice' })).status).toBe(200);
    expect((await t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: true } })).body).toMatchObject({ duplicate: false });

    // then
    const done = await eventually(async () => {
      const r = await t.api.get(`/api/process-instances/${id}`);
      return r.body.state === 'COMPLETED' && r.body;
    });
    expect(done.variables).toMatchObject({ inStock: true, approved: true, tracking: 'T-o-7' });
    expect(done.variables).not.toHaveProperty('reference');
    expect(seen).toEqual([{ type: 'check-stock', headers: { warehouse: 'main' } }]);
    const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.map((e: any) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['INSTANCE_CREATED', 'JOB_CREATED', 'JOB_COMPLETED', 'TASK_CREATED', 'TASK_CLAIMED', 'TASK_COMPLETED', 'INSTANCE_COMPLETED']));
  });
});
