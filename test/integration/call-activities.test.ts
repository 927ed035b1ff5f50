/**
 * Call activities on real Postgres and Redis: the child is created with its
 * parent's step, its end reaches the parent through a durable note, errors
 * go up, canceling the parent cancels the child, and the wait survives an
 * engine restart and a Redis flush.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { openTestRedis, cleanupPrefix } from '../support/test-redis.js';

// order-approval.bpmn: it-order calls the process named by `approvalProcess` (limit = amount * 2; only `approver`
// comes back); error DECLINED is caught on the call activity; it-approval ends in DECLINED when not approved.
const xml = readFileSync(new URL('../fixtures/integration/calls/order-approval.bpmn', import.meta.url), 'utf8');

async function childOf(db: Weft['db'], parentId: string) {
  return db('process_instances').where({ parent_instance_id: parentId }).first('id', 'status', 'process_id', 'parent_element_instance_key');
}

async function openTask(db: Weft['db'], instanceId: string): Promise<string> {
  const task = await db('tasks').where({ process_instance_id: instanceId, state: 'CREATED' }).first('id');
  return task.id;
}

describe('call activities', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    const deployed = await t.api.deploy([{ name: 'order-approval.bpmn', xml }]);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => t?.stop());

  it('starts the child in the parent\'s transaction with the parent\'s variables, and completes the parent with what comes back', async () => {
    const started = await t.api.post('/api/process-instances', { processId: 'it-order', variables: { amount: 10, approvalProcess: 'it-approval' } });
    expect(started.status).toBe(201);
    const child = await childOf(t.weft.db, started.body.id);
    expect(child).toMatchObject({ process_id: 'it-approval', status: 'ACTIVE' });
    const childView = await t.api.get(`/api/process-instances/${child.id}`);
    expect(childView.body.variables).toMatchObject({ amount: 10, limit: 20 });

    const done = await t.api.post(`/api/tasks/${await openTask(t.weft.db, child.id)}/complete`, { variables: { approved: true, approvedBy: 'ann' } });
    expect(done.status).toBe(200);
    await eventually(async () => (await t.api.get(`/api/process-instances/${started.body.id}`)).body.state === 'COMPLETED');
    const parent = await t.api.get(`/api/process-instances/${started.body.id}`);
    expect(parent.body.variables).toEqual({ amount: 10, approvalProcess: 'it-approval', approver: 'ann' });
    expect(await t.weft.db('instance_notifications').count('* as n').first()).toEqual({ n: '0' });
  });

  it('an error the child does not catch ends it and is caught at the parent\'s call activity', async () => {
    const started = await t.api.post('/api/process-instances', { processId: 'it-order', variables: { amount: 1, approvalProcess: 'it-approval' } });
    const child = await childOf(t.weft.db, started.body.id);
    await t.api.post(`/api/tasks/${await openTask(t.weft.db, child.id)}/complete`, { variables: { approved: false } });
    await eventually(async () => (await t.api.get(`/api/process-instances/${started.body.id}`)).body.state === 'COMPLETED');
    expect((await childOf(t.weft.db, started.body.id)).status).toBe('TERMINATED');
    const audit = await t.weft.db('audit').where({ process_instance_id: started.body.id, type: 'ERROR_CAUGHT' }).first('element_id');
    expect(audit.element_id).toBe('declined');
  });

  it('a called process that is not deployed is an incident on the call activity naming it', async () => {
    const started = await t.api.post('/api/process-instances', { processId: 'it-order', variables: { amount: 1, approvalProcess: 'it-nowhere' } });
    expect(started.status).toBe(201);
    const incidents = await t.api.get(`/api/incidents?processInstanceId=${started.body.id}`);
    expect(incidents.body.items).toMatchObject([{ type: 'CALLED_PROCESS_NOT_FOUND', elementId: 'approve', message: expect.stringContaining("'it-nowhere' is not deployed") }]);
    expect(await childOf(t.weft.db, started.body.id)).toBeUndefined();
  });

  it('canceling the parent cancels the child; a child alone cannot be canceled', async () => {
    const started = await t.api.post('/api/process-instances', { processId: 'it-order', variables: { amount: 1, approvalProcess: 'it-approval' } });
    const child = await childOf(t.weft.db, started.body.id);
    const refused = await t.api.post(`/api/process-instances/${child.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(started.body.id);
    expect((await t.api.post(`/api/process-instances/${started.body.id}/cancel`)).status).toBe(200);
    await eventually(async () => (await childOf(t.weft.db, started.body.id)).status === 'CANCELED');
    expect(await t.weft.db('tasks').where({ process_instance_id: child.id }).first('state')).toEqual({ state: 'CANCELED' });
  });
});

describe('a parent waiting on its child across an engine restart and a Redis flush', () => {
  let t: TestWeft;
  let second: Weft | undefined;
  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await second?.close();
    await t?.stop();
  });

  it('completes when the child completes on the next engine', async () => {
    await t.weft.engine.deploy([{ name: 'order-approval.bpmn', content: xml }], 'test');
    const parent = await t.weft.engine.startInstance({ processId: 'it-order', variables: { amount: 3, approvalProcess: 'it-approval' } }, 'test');
    await t.weft.close();
    const redis = openTestRedis();
    await cleanupPrefix(redis, t.config.queuePrefix);
    await redis.quit();

    second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false, background: { timerPollMs: 100 } });
    const child = await childOf(second.db, parent.id);
    await second.engine.completeTask(await openTask(second.db, child.id), { approved: true, approvedBy: 'bo' }, 'test');
    await eventually(async () => (await second!.engine.getInstance(parent.id)).state === 'COMPLETED', 10_000);
    expect((await second.engine.getInstance(parent.id)).variables).toMatchObject({ approver: 'bo' });
  }, 30_000);

  it('a note left behind by a crash is delivered by the sweep, once', async () => {
    const parent = await second!.engine.startInstance({ processId: 'it-order', variables: { amount: 3, approvalProcess: 'it-approval' } }, 'test');
    const child = await childOf(second!.db, parent.id);
    // as if the engine died right after the child's commit: the note is there, nobody delivered it
    await second!.db('instance_notifications').insert({
      key: '00000000-0000-4000-8000-000000000001',
      target_instance_id: parent.id,
      source_instance_id: child.id,
      kind: 'child-completed',
      payload: JSON.stringify({ elementInstanceKey: child.parent_element_instance_key, type: 'completed', variables: { approvedBy: 'cy' } }),
      created_at: new Date(Date.now() - 10_000),
    });
    await eventually(async () => (await second!.engine.getInstance(parent.id)).state === 'COMPLETED', 10_000);
    expect((await second!.engine.getInstance(parent.id)).variables).toMatchObject({ approver: 'cy' });
    expect(await second!.db('audit').where({ process_instance_id: parent.id, type: 'CHILD_INSTANCE_COMPLETED' }).count('* as n').first()).toEqual({ n: '1' });
  }, 30_000);
});
