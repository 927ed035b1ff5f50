import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { agentDefinition, agentProcess, deployAgent, instanceIn, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('agent kill switch', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('keeps a disabled agent\'s jobs waiting, with retries kept, until it is enabled; both switches are audited with the actor', async () => {
    // given
    await deployAgent(a.t, agentDefinition({ name: 'switchable' }), agentProcess({ id: 'switched', agent: 'switchable', retries: 1 }), 'switched');
    const model = fakeModel().respond(new AIMessage('{"answer": "done"}'));
    // a long wait backoff: only switching the agent on can make the run go on in time
    a.worker(model, { waitBackoffMs: 120_000 });
    expect((await a.t.api.post('/api/agents/switchable/disable')).body).toEqual({ name: 'switchable', disabled: true });

    // when
    const id = await startInstance(a.t, 'switched', { request: 'x' });
    await pause(800);

    // then: not run, no incident although the task has a single retry
    expect(model.callCount).toBe(0);
    expect((await a.t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items).toEqual([]);
    expect((await a.t.api.get('/api/agents')).body.items.find((d: any) => d.name === 'switchable')).toMatchObject({ disabled: true });

    // when
    await a.t.api.post('/api/agents/switchable/enable');

    // then the waiting job is woken at once
    await instanceIn(a.t, id, 'COMPLETED');
    expect(model.callCount).toBe(1);
    const switches = await a.t.weft.db('audit').whereIn('type', ['AGENT_DISABLED', 'AGENT_ENABLED']).orderBy('id');
    expect(switches.map((r) => [r.type, r.actor, r.payload.scope])).toEqual([
      ['AGENT_DISABLED', 'admin', 'switchable'],
      ['AGENT_ENABLED', 'admin', 'switchable'],
    ]);
  });

  it('answers 404 for an agent that is not deployed', async () => {
    expect((await a.t.api.post('/api/agents/nobody/disable')).status).toBe(404);
  });

  it('stops an in-flight run at its next step when the global switch is thrown, and continues from the journal after', async () => {
    // given: the tool call throws the global switch mid-run
    a.tools.register('slow-lookup', async () => {
      await a.t.api.post('/api/agents/disable-all');
      return { found: true };
    });
    const definition = agentDefinition({ name: 'inflight', tools: [{ name: 'lookup', kind: 'worker', workerType: 'slow-lookup', policy: 'allow' }] });
    await deployAgent(a.t, definition, agentProcess({ id: 'inflight', agent: 'inflight' }), 'inflight');
    const model = fakeModel()
      .respondWithTools([{ name: 'lookup', args: {}, id: 'l1' }])
      .respond(new AIMessage('{"answer": "found"}'));
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'inflight', { request: 'x' });
    await pause(1000);

    // then: the tool result is journaled, the next model call is not made
    expect(model.callCount).toBe(1);
    expect((await a.t.api.get('/api/agents')).body.allDisabled).toBe(true);

    // when
    await a.t.api.post('/api/agents/enable-all');

    // then
    await instanceIn(a.t, id, 'COMPLETED');
    expect(model.callCount).toBe(2);
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    expect(audit.filter((e: any) => e.type === 'AGENT_TOOL_CALLED')).toHaveLength(1);
    expect(audit.find((e: any) => e.type === 'AGENT_RUN_WAITING').payload.reason).toMatch(/global kill switch/);
  });
});
