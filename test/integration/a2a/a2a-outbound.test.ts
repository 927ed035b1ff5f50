/**
 * The `a2a` connector against a real A2A agent (the SDK's own server, in
 * test/fixtures/a2a): a diagram's service task sends its work to a remote
 * agent named by a connection, waits for it durably, and maps its artifacts
 * to variables; a failed remote task is a BPMN error; an unknown connection
 * an incident naming it; a kill switch per connection.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startTestAgent, type TestAgent } from '../../fixtures/a2a/a2a-agent.js';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { cleanupPrefix, openTestRedis } from '../../support/test-redis.js';
import { startWeft } from '../../../engine/weft.js';
import { defaultConnections } from '../../../engine/connections/load-connections.js';

const xml = readFileSync(new URL('./a2a-supplier-check.bpmn', import.meta.url), 'utf8');
const TOKEN = 'a2a-remote-token-5f1e9c';

describe('a2a connector (outbound)', () => {
  let agent: TestAgent;
  let t: TestWeft;
  beforeAll(async () => {
    process.env.WEFT_TEST_SUPPLIERS_AUTH = TOKEN;
    agent = await startTestAgent({ token: TOKEN, delayMs: 300 });
    const connections = {
      ...defaultConnections(process.env),
      suppliers: { kind: 'a2a' as const, agentCardUrl: agent.cardUrl, credentials: { headers: { authorization: 'Bearer {{env.WEFT_TEST_SUPPLIERS_AUTH}}' } } },
      locked: { kind: 'a2a' as const, agentCardUrl: agent.cardUrl, credentials: { headers: { authorization: 'Bearer {{env.WEFT_TEST_A2A_UNSET}}' } } },
      guarded: { kind: 'a2a' as const, agentCardUrl: agent.cardUrl, credentials: { headers: { authorization: 'Bearer {{env.WEFT_TEST_SUPPLIERS_AUTH}}' } }, approval: { candidateGroups: ['procurement'] } },
    };
    t = await startTestWeft({}, { config: { reach: { connections, inline: { mcpCommands: false, mcpUrls: false } }, exampleWorkers: false } });
    const deployed = await t.api.deploy([{ name: 'a2a-supplier-check.bpmn', xml }]);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await agent?.close();
  });

  const start = async (variables: Record<string, unknown>) => {
    const res = await t.api.post('/api/process-instances', { processId: 'a2a-supplier-check', variables });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const settled = (weftApi: TestWeft['api'], id: string, timeoutMs = 15_000) =>
    eventually(async () => {
      const res = await weftApi.get(`/api/process-instances/${id}`);
      return res.body.state !== 'ACTIVE' && res.body;
    }, timeoutMs);

  it('sends the task once, waits for the remote task and completes with its artifacts in variables', async () => {
    // given a remote agent that works on the task for a while
    const before = agent.received.length;
    // when
    const id = await start({ agentConnection: 'suppliers', supplier: 'acme' });
    // then
    const done = await settled(t.api, id);
    expect(done.state).toBe('COMPLETED');
    expect(done.elements.some((e: any) => e.elementId === 'checked')).toBe(true);
    expect(done.variables.check).toMatchObject({
      status: 'completed',
      text: 'CHECK ACME',
      artifacts: [{ name: 'answer', parts: [{ text: 'CHECK ACME' }, { data: { echo: { supplier: 'acme' } } }] }],
    });
    expect(agent.received.length - before).toBe(1);
    const sent = agent.received.at(-1)!;
    // the idempotency key (the job key) is the message id
    const jobKey = (await t.weft.db('a2a_remote_tasks').where({ process_instance_id: id }).first()).job_key;
    expect(sent.messageId).toBe(jobKey);
    // on the record: sent, updated/completed, with the remote task id; the credential reached the agent and nowhere else
    const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    const types = audit.map((e: any) => e.type);
    expect(types).toContain('A2A_TASK_SENT');
    expect(types).toContain('A2A_TASK_COMPLETED');
    const remoteTaskId = audit.find((e: any) => e.type === 'A2A_TASK_SENT').payload.remoteTaskId;
    expect(done.variables.check.taskId).toBe(remoteTaskId);
    expect(audit.find((e: any) => e.type === 'A2A_TASK_COMPLETED')).toMatchObject({ actor: 'a2a:suppliers', payload: { remoteTaskId, state: 'completed' } });
    expect(agent.authorizations.every((h) => h === `Bearer ${TOKEN}`)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
    expect(JSON.stringify(done)).not.toContain(TOKEN);
  });

  const approvalTask = (id: string) =>
    eventually(async () => ((await t.api.get('/api/tasks?state=CREATED&limit=100')).body.items as any[]).find((task) => task.variables.sourceProcessInstanceId === id && task.variables.kind === 'tool-approval'));

  it('where the connection asks for approval, nothing is sent until a person approves; then it is sent once', async () => {
    // given
    const before = agent.received.length;
    const id = await start({ agentConnection: 'guarded', supplier: 'acme' });
    // when the approval waits in the procurement inbox
    const task = await approvalTask(id);
    expect(task).toMatchObject({ candidateGroups: ['procurement'], variables: { agent: 'a2a:guarded', toolCall: { name: 'a2a:guarded', args: { message: 'check acme', data: { supplier: 'acme' } } } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(agent.received.length).toBe(before);
    // and a person approves it (the job waits with a 5-minute net: the decision wakes it)
    await t.api.post(`/api/tasks/${task.id}/claim`, {});
    expect((await t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: true } })).status).toBe(200);
    // then
    const done = await settled(t.api, id);
    expect(done.state).toBe('COMPLETED');
    expect(done.variables.check).toMatchObject({ status: 'completed', text: 'CHECK ACME' });
    expect(agent.received.length - before).toBe(1);
    const types = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.map((e: any) => e.type);
    expect(types.indexOf('A2A_APPROVAL_REQUESTED')).toBeLessThan(types.indexOf('A2A_APPROVAL_DECIDED'));
    expect(types.indexOf('A2A_APPROVAL_DECIDED')).toBeLessThan(types.indexOf('A2A_TASK_SENT'));
  });

  it('a declined approval sends nothing and throws A2A_TASK_DECLINED', async () => {
    // given
    const before = agent.received.length;
    const id = await start({ agentConnection: 'guarded', supplier: 'globex' });
    const task = await approvalTask(id);
    // when
    await t.api.post(`/api/tasks/${task.id}/claim`, {});
    await t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: false, comment: 'not this supplier' } });
    // then (the diagram catches only A2A_TASK_FAILED: the declined task is an incident naming the error)
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items[0]);
    expect(incident.message).toContain("BPMN error 'A2A_TASK_DECLINED'");
    expect(incident.message).toContain('not this supplier');
    expect(agent.received.length).toBe(before);
  });

  it('a failed remote task is the BPMN error A2A_TASK_FAILED, caught by the boundary event', async () => {
    // given a supplier the remote agent fails on
    // when
    const id = await start({ agentConnection: 'suppliers', supplier: 'fail-corp' });
    // then
    const done = await settled(t.api, id);
    expect(done.state).toBe('COMPLETED');
    expect(done.elements.some((e: any) => e.elementId === 'not-checked')).toBe(true);
    expect(done.elements.some((e: any) => e.elementId === 'checked')).toBe(false);
    const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    expect(audit.find((e: any) => e.type === 'JOB_ERROR_THROWN').payload).toMatchObject({ errorCode: 'A2A_TASK_FAILED' });
    expect(audit.find((e: any) => e.type === 'JOB_ERROR_THROWN').payload.errorMessage).toContain('ended failed: the supplier database is down');
    expect(audit.find((e: any) => e.type === 'A2A_TASK_FAILED').payload).toMatchObject({ state: 'failed', result: { status: 'failed', text: 'the supplier database is down' } });
  });

  it('a remote task that asks for input is an incident that says so', async () => {
    const id = await start({ agentConnection: 'suppliers', supplier: 'ask-corp' });
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items[0]);
    expect(incident.message).toContain("on 'suppliers' is input-required: which supplier?");
  });

  it('an unknown connection is an incident naming it, and nothing is sent', async () => {
    // given
    const before = agent.received.length;
    // when
    const id = await start({ agentConnection: 'nowhere', supplier: 'acme' });
    // then
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items[0]);
    expect(incident.message).toContain("no A2A connection named 'nowhere'");
    expect(incident.message).toContain('known A2A connections: suppliers');
    expect(agent.received.length).toBe(before);
  });

  it('a connection whose credential variable is not set is an incident naming the variable, and nothing is sent', async () => {
    const before = agent.received.length;
    const id = await start({ agentConnection: 'locked', supplier: 'acme' });
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items[0]);
    expect(incident.message).toContain("connection 'locked': credentials.headers.authorization refers to the environment variable WEFT_TEST_A2A_UNSET, which is not set");
    expect(agent.received.length).toBe(before);
  });

  it('a model connection is not an A2A agent', async () => {
    const id = await start({ agentConnection: 'openai', supplier: 'acme' });
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items[0]);
    expect(incident.message).toContain("no A2A connection named 'openai'");
  });

  it('while a connection is switched off its jobs wait and send nothing; switched on, they go at once', async () => {
    // given
    const before = agent.received.length;
    expect((await t.api.post('/api/a2a/connections/suppliers/disable')).body).toEqual({ name: 'suppliers', disabled: true });
    // when
    const id = await start({ agentConnection: 'suppliers', supplier: 'zeta' });
    await eventually(async () => (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.some((e: any) => e.type === 'JOB_FAILED' && e.payload.errorMessage.includes('kill switch')));
    // then nothing went out
    expect(agent.received.length).toBe(before);
    expect((await t.api.get('/api/a2a/connections')).body.items).toEqual([
      { name: 'suppliers', agentCardUrl: agent.cardUrl, disabled: true },
      { name: 'locked', agentCardUrl: agent.cardUrl, disabled: false },
      { name: 'guarded', agentCardUrl: agent.cardUrl, approval: { candidateGroups: ['procurement'] }, disabled: false },
    ]);
    // and switched on, the task goes and completes
    await t.api.post('/api/a2a/connections/suppliers/enable');
    const done = await settled(t.api, id);
    expect(done.variables.check.text).toBe('CHECK ZETA');
    expect(agent.received.length - before).toBe(1);
  });
});

describe('a2a connector across an engine restart and a Redis flush', () => {
  it('the remote agent receives the message once; the job polls the recorded remote task and completes', async () => {
    // given a remote agent that takes long, and an engine that has sent the task and waits
    const agent = await startTestAgent({ delayMs: 4000 });
    const connections = { ...defaultConnections(process.env), slow: { kind: 'a2a' as const, agentCardUrl: agent.cardUrl } };
    const t = await startTestWeft({}, { config: { reach: { connections, inline: { mcpCommands: false, mcpUrls: false } }, exampleWorkers: false } });
    let second: Awaited<ReturnType<typeof startWeft>> | undefined;
    try {
      await t.api.deploy([{ name: 'a2a-supplier-check.bpmn', xml }]);
      const id = (await t.api.post('/api/process-instances', { processId: 'a2a-supplier-check', variables: { agentConnection: 'slow', supplier: 'acme' } })).body.id;
      const row = await eventually(async () => t.weft.db('a2a_remote_tasks').where({ process_instance_id: id }).whereNotNull('remote_task_id').first());
      expect(agent.received).toHaveLength(1);

      // when the engine stops, Redis is flushed, and another engine starts on the same database
      await t.weft.close();
      const redis = openTestRedis();
      await cleanupPrefix(redis, t.config.queuePrefix);
      await redis.quit();
      second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), migrate: false, background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000 } });

      // then the new engine follows the same remote task to its end, without sending again
      const done = await eventually(async () => {
        const instance = await second!.engine.getInstance(id);
        return instance.state !== 'ACTIVE' && instance;
      }, 20_000);
      expect(done.state).toBe('COMPLETED');
      expect((done.variables as any).check).toMatchObject({ status: 'completed', taskId: row.remote_task_id, text: 'CHECK ACME' });
      expect(agent.received).toHaveLength(1);
      const audit = await second.engine.audit(id);
      expect(audit.filter((e) => e.type === 'A2A_TASK_SENT')).toHaveLength(1);
    } finally {
      await second?.close();
      await t.database.drop();
      const cleanup = openTestRedis();
      await cleanupPrefix(cleanup, t.config.queuePrefix);
      await cleanup.quit();
      await agent.close();
    }
  }, 60_000);

  it('a task waiting for approval keeps waiting across an engine restart and a Redis flush, and is sent once after the person approves', async () => {
    // given an engine of its own whose connection asks for approval, and a task waiting for it
    const agent = await startTestAgent({});
    const connections = { ...defaultConnections(process.env), guarded: { kind: 'a2a' as const, agentCardUrl: agent.cardUrl, approval: { candidateGroups: ['procurement'] } } };
    const t = await startTestWeft({}, { config: { reach: { connections, inline: { mcpCommands: false, mcpUrls: false } }, exampleWorkers: false } });
    let second: Awaited<ReturnType<typeof startWeft>> | undefined;
    try {
      await t.api.deploy([{ name: 'a2a-supplier-check.bpmn', xml }]);
      const id = (await t.api.post('/api/process-instances', { processId: 'a2a-supplier-check', variables: { agentConnection: 'guarded', supplier: 'acme' } })).body.id;
      const row = await eventually(async () => t.weft.db('a2a_remote_tasks').where({ process_instance_id: id }).whereNotNull('review_instance_id').first());

      // when the engine stops, Redis is flushed, another engine starts, and the person approves there
      await t.weft.close();
      const redis = openTestRedis();
      await cleanupPrefix(redis, t.config.queuePrefix);
      await redis.quit();
      second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), migrate: false, background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000 } });
      expect(agent.received).toHaveLength(0);
      const task = await eventually(async () => (await second!.db('tasks').where({ process_instance_id: row.review_instance_id, state: 'CREATED' }).first()) ?? null);
      await second.engine.completeTask(task.id, { approved: true }, 'user:buyer');

      // then the task goes out once and the instance completes
      const done = await eventually(async () => {
        const instance = await second!.engine.getInstance(id);
        return instance.state !== 'ACTIVE' && instance;
      }, 20_000);
      expect(done.state).toBe('COMPLETED');
      expect(agent.received).toHaveLength(1);
    } finally {
      await second?.close();
      await t.database.drop();
      const cleanup = openTestRedis();
      await cleanupPrefix(cleanup, t.config.queuePrefix);
      await cleanup.quit();
      await agent.close();
    }
  }, 60_000);
});
