/**
 * An agent's worker/connector tool call with no in-process handler is a job
 * of the tool's type (runtime/tool-jobs.ts): any worker of that type does it
 * — here one on the REST job API, as a worker in another language would — and
 * the agent waits for it durably, across an engine restart and a Redis flush.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { pino } from 'pino';
import { agentDefinition, agentProcess, deployAgent, instanceIn, runsOf, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { apiClient, eventually } from '../support/test-weft.js';
import { cleanupPrefix, openTestRedis } from '../support/test-redis.js';
import { startWeft, type Weft } from '../../engine/weft.js';
import { startAgentWorker } from '../../connectors/agents/agent-worker.js';
import { BpmnError } from '../../engine/worker/bpmn-error.js';

const lookupTool = { name: 'lookupPurchaseOrder', kind: 'worker', workerType: 'erp-lookup-po', policy: 'allow', parameters: { type: 'object', properties: { po: { type: 'string' } }, required: ['po'] } };

describe('agent tool calls as jobs', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('a tool job done by an external worker over the REST job API, after an engine restart and a Redis flush while the agent waits', async () => {
    // given (on an engine of its own, which this test stops) an agent whose tool no process serves in-process
    const a = await startAgentTest();
    const definition = agentDefinition({ name: 'po-checker', tools: [lookupTool] });
    await deployAgent(a.t, definition, agentProcess({ id: 'po-check', agent: 'po-checker' }), 'po-check');
    const before = fakeModel().respondWithTools([{ name: 'lookupPurchaseOrder', args: { po: 'PO-7' }, id: 'c1' }]);
    a.worker(before, { decisionWaitMs: 600_000 });
    const id = await startInstance(a.t, 'po-check', { request: 'is PO-7 open?' });
    const toolJob = await eventually(async () => a.t.weft.db('jobs').where({ process_instance_id: id, type: 'erp-lookup-po', state: 'ACTIVATABLE' }).first());
    expect(toolJob).toMatchObject({ element_id: 'agent-task', variables: { po: 'PO-7' } });
    expect(toolJob.headers).toMatchObject({ 'weft.agent': 'po-checker', 'weft.tool': 'lookupPurchaseOrder', 'weft.toolCallId': 'c1' });
    // the agent's own job waits (failed with its retries kept), not holding a worker
    await eventually(async () => (await a.t.weft.db('jobs').where({ process_instance_id: id, type: 'agent' }).first()).state === 'ACTIVATABLE');

    // when the engine stops, Redis is flushed, and another engine starts on the same database
    await a.closeWorkers();
    await a.t.weft.close();
    const redis = openTestRedis();
    await cleanupPrefix(redis, a.t.config.queuePrefix);
    await redis.quit();
    const weft: Weft = await startWeft({ config: a.t.config, logger: pino({ level: 'silent' }), migrate: false, features: false, background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000 } });
    const after = fakeModel().respond(new AIMessage('{"answer": "PO-7 is open"}'));
    const agents = startAgentWorker({ db: weft.db, engine: weft.engine, connection: weft.redis, prefix: a.t.config.queuePrefix, model: () => after, waitBackoffMs: 150, decisionWaitMs: 600_000 });
    try {
      // and a worker on the REST job API takes the tool job and completes it
      const api = apiClient(weft.url!, weft.adminToken);
      const jobs = await eventually(async () => {
        const res = await api.post('/api/jobs/activate', { type: 'erp-lookup-po', maxJobs: 5, workerId: 'erp-bridge', timeoutMs: 30_000 });
        return res.body.jobs.length > 0 && res.body.jobs;
      });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ key: toolJob.key, variables: { po: 'PO-7' } });
      const done = await api.post(`/api/jobs/${jobs[0].key}/complete`, { variables: { status: 'open', total: 120 } });
      expect(done.status).toBe(200);

      // then the agent is woken at once (not after its ten-minute net), sees the result and completes
      await eventually(async () => (await weft.engine.getInstance(id)).state === 'COMPLETED', 15_000);
      expect(before.callCount).toBe(1);
      expect(after.callCount).toBe(1);
      const toolMessage = after.calls[0].messages.at(-1)!;
      expect(toolMessage.getType()).toBe('tool');
      expect(JSON.parse(String(toolMessage.content))).toEqual({ status: 'open', total: 120 });
      const instance = await weft.engine.getInstance(id);
      expect((instance.variables as any).agentResult.output).toEqual({ answer: 'PO-7 is open' });
      // a second completion is answered as a duplicate and changes nothing
      expect((await api.post(`/api/jobs/${jobs[0].key}/complete`, { variables: { status: 'closed' } })).body).toMatchObject({ duplicate: true });
      // on the record: the tool job, which tool call it was, and the call with its result
      const audit = await weft.engine.audit(id);
      expect(audit.find((e) => e.type === 'JOB_CREATED' && (e.payload as any).toolCallId === 'c1')).toBeTruthy();
      const called = audit.find((e) => e.type === 'AGENT_TOOL_CALLED');
      expect(called?.payload).toMatchObject({ tool: 'lookupPurchaseOrder', status: 'ok', result: { status: 'open', total: 120 }, toolJobKey: toolJob.key });
      // the instance holds no tool job any more
      expect(await weft.db('instance_entries').where({ instance_id: id, kind: 'job' }).count('* as n').first()).toEqual({ n: '0' });
    } finally {
      await agents.close(true);
      await weft.close();
      await a.t.database.drop();
      const cleanup = openTestRedis();
      await cleanupPrefix(cleanup, a.t.config.queuePrefix);
      await cleanup.quit();
    }
  });

  it("a tool's BPMN error and a tool out of retries are told to the model, and the agent goes on", async () => {
    // given workers (the SDK, in the engine process) for two tools: one throws a BPMN error, one always fails
    const definition = agentDefinition({
      name: 'po-robust',
      tools: [lookupTool, { name: 'pay', kind: 'connector', workerType: 'erp-pay', retries: 1, policy: 'allow' }],
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'po-robust', agent: 'po-robust' }), 'po-robust');
    a.t.weft.worker('erp-lookup-po', () => {
      throw new BpmnError('PO_NOT_FOUND', 'no purchase order PO-9');
    });
    a.t.weft.worker('erp-pay', () => {
      throw new Error('the payment system is down');
    });
    const model = fakeModel()
      .respondWithTools([{ name: 'lookupPurchaseOrder', args: { po: 'PO-9' }, id: 'l1' }])
      .respondWithTools([{ name: 'pay', args: { amount: 5 }, id: 'p1' }])
      .respond(new AIMessage('{"answer": "could not pay PO-9"}'));
    a.worker(model, { decisionWaitMs: 600_000 });

    // when
    const id = await startInstance(a.t, 'po-robust', { request: 'pay PO-9' });

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(done.variables.agentResult.output).toEqual({ answer: 'could not pay PO-9' });
    expect(String(model.calls[1].messages.at(-1)!.content)).toBe("Error: The tool reported error 'PO_NOT_FOUND': no purchase order PO-9");
    expect(String(model.calls[2].messages.at(-1)!.content)).toBe('Error: The tool failed: the payment system is down');
    const incidents = (await a.t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items;
    expect(incidents).toEqual([]);
    const [run] = await runsOf(a.t, id);
    const transcript = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body;
    expect(transcript.toolCalls.map((c: any) => [c.name, c.status])).toEqual([
      ['lookupPurchaseOrder', 'error'],
      ['pay', 'error'],
    ]);
  });

  it('an in-process handler still serves a tool without a job', async () => {
    // given
    a.tools.register('erp-lookup-po', (args) => ({ status: 'open', po: args.po }));
    const definition = agentDefinition({ name: 'po-local', tools: [lookupTool] });
    await deployAgent(a.t, definition, agentProcess({ id: 'po-local', agent: 'po-local' }), 'po-local');
    a.worker(fakeModel().respondWithTools([{ name: 'lookupPurchaseOrder', args: { po: 'PO-1' }, id: 'c1' }]).respond(new AIMessage('{"answer": "open"}')));
    // when
    const id = await startInstance(a.t, 'po-local', { request: 'PO-1?' });
    // then
    await instanceIn(a.t, id, 'COMPLETED');
    expect(await a.t.weft.db('jobs').where({ process_instance_id: id, type: 'erp-lookup-po' }).count('* as n').first()).toEqual({ n: '0' });
  });

  it('refuses at deploy a tool whose job type is the agent queue', async () => {
    const res = await deployAgent(a.t, agentDefinition({ name: 'sneaky', tools: [{ ...lookupTool, workerType: 'agent:po-checker' }] }), agentProcess({ id: 'sneaky', agent: 'sneaky' }), 'sneaky').catch((e: Error) => e.message);
    expect(String(res)).toContain('422');
    expect(String(res)).toContain('tools.0.workerType');
  });
});
