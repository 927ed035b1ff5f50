import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { agentDefinition, agentProcess, deployAgent, instanceIn, runsOf, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { ToolRegistry } from '../../connectors/agents/tool-registry.js';
import { eventually } from '../support/test-weft.js';
import { startWeft } from '../../engine/weft.js';
import { startAgentWorker } from '../../connectors/agents/agent-worker.js';
import { pino } from 'pino';
import { agentRequestTask } from '../fixtures/agents/agent-harness.js';

describe('agent runs survive a worker killed mid-run', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('a decision taken before the agent job has recorded its wait still wakes it (not only after the wait backoff)', async () => {
    // given an agent whose review is decided in the moment between asking and recording the wait
    const definition = agentDefinition({ name: 'quick-review', confidence: { field: 'confidence', threshold: 0.9 } });
    await deployAgent(a.t, definition, agentProcess({ id: 'quick-review', agent: 'quick-review' }), 'quick-review');
    const engine = a.t.weft.engine;
    let sourceId = '';
    const decideFirst = Object.assign(Object.create(engine), {
      async failJob(jobKey: string, req: { retries: number; errorMessage: string; retryBackoffMs?: number }, actor: string) {
        if (req.errorMessage.startsWith('Waiting:')) {
          const task = await agentRequestTask(a.t, sourceId, 'output-review');
          await engine.completeTask(task.id, { approved: true }, 'test');
          // the decision's wake-up job runs now, while the agent job is still active
          await eventually(async () => (await a.t.api.get(`/api/process-instances/${task.processInstanceId}`)).body.state === 'COMPLETED');
        }
        return engine.failJob(jobKey, req, actor);
      },
    });
    a.worker(fakeModel().respond(new AIMessage('{"answer": "yes", "confidence": 0.5}')), { engine: decideFirst, decisionWaitMs: 600_000 });

    // when
    sourceId = await startInstance(a.t, 'quick-review', { request: 'x' });

    // then the run goes on at once, not ten minutes later
    const done = await instanceIn(a.t, sourceId, 'COMPLETED');
    expect(done.variables.agentResult.decision).toBe('reviewed-approved');
  });

  it('replays the journal on the retry: no second model call for journaled steps, no second run of a completed tool', async () => {
    // given: worker A answers two model steps; its second tool hangs (the worker "dies" there)
    const ran = { lookup: 0, notify: 0 };
    const toolsA = new ToolRegistry()
      .register('lookup', () => {
        ran.lookup++;
        return { status: 'open' };
      })
      .register('notify', () => new Promise(() => undefined));
    const toolsB = new ToolRegistry()
      .register('lookup', () => {
        ran.lookup++;
        return { status: 'open' };
      })
      .register('notify', () => {
        ran.notify++;
        return { sent: true };
      });
    const definition = agentDefinition({
      name: 'durable',
      tools: [
        { name: 'lookup', kind: 'worker', workerType: 'lookup', policy: 'allow' },
        { name: 'notify', kind: 'worker', workerType: 'notify', policy: 'allow' },
      ],
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'durable', agent: 'durable' }), 'durable');
    const modelA = fakeModel()
      .respondWithTools([{ name: 'lookup', args: { id: 't-1' }, id: 'c1' }])
      .respondWithTools([{ name: 'notify', args: { to: 'ops' }, id: 'c2' }])
      .respond(new AIMessage('{"answer": "from A"}'));
    const workerA = a.worker(modelA, { tools: toolsA, timeoutMs: 1500, workerId: 'A' });

    // when
    const id = await startInstance(a.t, 'durable', { request: 'ticket t-1' });
    await eventually(async () => modelA.callCount === 2 && ran.lookup === 1);
    await workerA.close(true); // killed: its handler never finishes
    const modelB = fakeModel().respond(new AIMessage('{"answer": "from B"}'));
    a.worker(modelB, { tools: toolsB, keepOthers: true, workerId: 'B' });

    // then: the job times out and B continues after the last journaled step
    const done = await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(done.variables.agentResult.output).toEqual({ answer: 'from B' });
    expect(modelA.callCount).toBe(2);
    expect(modelB.callCount).toBe(1);
    expect(ran).toEqual({ lookup: 1, notify: 1 });
    // B's one call saw the whole journaled conversation
    expect(modelB.calls[0].messages.map((m: any) => m.getType())).toEqual(['system', 'human', 'ai', 'tool', 'ai', 'tool']);
    const [run] = await runsOf(a.t, id);
    const transcript = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body;
    expect(transcript.modelCalls).toBe(3);
    expect(transcript.toolCalls.map((c: any) => c.name)).toEqual(['lookup', 'notify']);
  });

  it('keeps an approval wait across an engine restart, and continues from the journal after the decision', async () => {
    // given: a run waiting for approval
    const sent: unknown[] = [];
    const definition = agentDefinition({ name: 'restartable', tools: [{ name: 'sendMail', kind: 'worker', workerType: 'mail', policy: 'needs-approval' }] });
    await deployAgent(a.t, definition, agentProcess({ id: 'restartable', agent: 'restartable' }), 'restartable');
    const before = fakeModel().respondWithTools([{ name: 'sendMail', args: { to: 'cfo' }, id: 'm1' }]);
    // A worker killed mid-attempt holds the job until its timeout: keep it short here.
    a.worker(before, { timeoutMs: 1500 });
    const id = await startInstance(a.t, 'restartable', { request: 'tell the CFO' });
    const task = await agentRequestTask(a.t, id, 'tool-approval');

    // when the whole engine stops and a new one starts on the same database and Redis
    await a.closeWorkers();
    await a.t.weft.close();
    const weft = await startWeft({ config: a.t.config, logger: pino({ level: 'silent' }), http: false, features: false, background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000 } });
    const after = fakeModel().respond(new AIMessage('{"answer": "mail sent"}'));
    const tools = new ToolRegistry().register('mail', (args) => sent.push(args));
    const worker = startAgentWorker({ db: weft.db, engine: weft.engine, connection: weft.redis, prefix: a.t.config.queuePrefix, model: () => after, tools, waitBackoffMs: 150 });
    try {
      await weft.engine.completeTask(task.id, { approved: true }, 'user:cfo-assistant');

      // then
      await eventually(async () => (await weft.engine.getInstance(id)).state === 'COMPLETED', 20_000);
      expect(sent).toEqual([{ to: 'cfo' }]);
      expect(before.callCount).toBe(1);
      expect(after.callCount).toBe(1);
    } finally {
      await worker.close(true);
      await weft.close();
    }
  });
});
