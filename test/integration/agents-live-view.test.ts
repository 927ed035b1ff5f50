/**
 * GET /api/agent-runs without an instance (the live agent view, issue #12):
 * the runs across instances, in flight by default, each with what it is
 * doing now, its usage from the journal and its definition's limits.
 */
import { readFileSync } from 'node:fs';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDefinition, agentProcess, agentRequestTask, deployAgent, eventually, instanceIn, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { addUser, signIn } from '../fixtures/people/client.js';

const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, total_tokens: input + output });
const pricing = { inputPerMTok: 2, outputPerMTok: 10 };

describe('the live agent view API', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
    await deployAgent(
      a.t,
      agentDefinition({ name: 'board-done', model: { provider: 'openai', model: 'gpt-test', temperature: 0, pricing }, limits: { maxModelCalls: 4, maxTokens: 5000, maxCostUsd: 0.5, wallTimeMs: 60_000 } }),
      agentProcess({ id: 'board-done', agent: 'board-done' }),
      'board-done',
    );
    await deployAgent(a.t, agentDefinition({ name: 'board-review', confidence: { field: 'confidence', threshold: 0.9 } }), agentProcess({ id: 'board-review', agent: 'board-review' }), 'board-review');
    await deployAgent(a.t, agentDefinition({ name: 'board-held' }), agentProcess({ id: 'board-held', agent: 'board-held' }), 'board-held');
  });
  afterAll(async () => {
    await a?.stop();
  });

  const board = async (query = '') => {
    const res = await a.t.api.get(`/api/agent-runs${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: any[]; total: number };
  };

  it('shows a completed run as done, with the tokens, cost and limits its journal holds', async () => {
    // given a run of two model calls (a tool call between them) with known usage and pricing
    a.tools.register('board-lookup', () => ({ found: true }));
    await deployAgent(
      a.t,
      agentDefinition({
        name: 'board-done',
        model: { provider: 'openai', model: 'gpt-test', temperature: 0, pricing },
        tools: [{ name: 'lookup', kind: 'worker', workerType: 'board-lookup', policy: 'allow' }],
        limits: { maxModelCalls: 4, maxTokens: 5000, maxCostUsd: 0.5, wallTimeMs: 60_000 },
      }),
      agentProcess({ id: 'board-done', agent: 'board-done' }),
      'board-done',
    );
    a.worker(
      fakeModel()
        .respond(new AIMessage({ content: '', tool_calls: [{ name: 'lookup', args: {}, id: 'l1', type: 'tool_call' }], usage_metadata: usage(1000, 100) }))
        .respond(new AIMessage({ content: '{"answer": "found"}', usage_metadata: usage(1200, 300) })),
    );
    const id = await startInstance(a.t, 'board-done', { request: 'x' });
    await instanceIn(a.t, id, 'COMPLETED');

    // when
    const inFlight = await board();
    const ended = await board('?state=ended&agent=board-done');

    // then: not in flight; ended, with its numbers
    expect(inFlight.items.find((r) => r.processInstanceId === id)).toBeUndefined();
    expect(ended.total).toBe(1);
    const [run] = ended.items;
    expect(run).toMatchObject({ processInstanceId: id, processId: 'board-done', elementId: 'agent-task', agent: 'board-done', version: 2, status: 'COMPLETED', attempt: 1, activity: { kind: 'done', label: 'done' } });
    expect(run.usage).toMatchObject({ modelCalls: 2, toolCalls: 1, inputTokens: 2200, outputTokens: 400, totalTokens: 2600 });
    // 2200 input at $2/M + 400 output at $10/M
    expect(run.usage.costUsd).toBeCloseTo(0.0084, 10);
    expect(run.limits.map((l: any) => [l.name, l.limit, l.used])).toEqual([
      ['maxModelCalls', 4, 2],
      ['maxTokens', 5000, 2600],
      ['maxCostUsd', 0.5, run.usage.costUsd],
      ['wallTimeMs', 60_000, run.usage.workMs],
    ]);
    // the same numbers as the transcript's
    const transcript = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body;
    expect(transcript.usage.totalTokens).toBe(2600);
    expect(transcript.costUsd).toBeCloseTo(run.usage.costUsd, 12);
    expect(transcript.latencyMs).toBe(run.usage.workMs);
  });

  it('shows a run that waits for a person, with its review task, in flight and among the WAITING', async () => {
    // given a low-confidence output: it goes to review
    a.worker(fakeModel().respond(new AIMessage({ content: '{"answer": "maybe", "confidence": 0.3}', usage_metadata: usage(50, 10) })));
    const id = await startInstance(a.t, 'board-review', { request: 'x' });
    const task = await agentRequestTask(a.t, id, 'output-review');

    // when
    const run = await eventually(async () => (await board()).items.find((r) => r.processInstanceId === id && r.status === 'WAITING'));

    // then
    expect(run.activity).toMatchObject({ kind: 'waiting-for-person', request: 'review', label: 'waiting for a person (review of the output)', reviewTaskId: task.id });
    expect(run.usage).toMatchObject({ modelCalls: 1, totalTokens: 60 });
    expect(run.limits).toEqual([{ name: 'maxModelCalls', limit: 6, used: 1 }]);
    expect((await board('?state=WAITING&agent=board-review')).items.map((r) => r.id)).toEqual([run.id]);
    expect((await board('?agent=board-done')).items).toEqual([]);
  });

  it('shows a run held by the kill switch as stopped by it, with the reason', async () => {
    // given
    a.worker(fakeModel().respond(new AIMessage('{"answer": "x"}')), { waitBackoffMs: 60_000 });
    await a.t.api.post('/api/agents/board-held/disable');

    // when
    const id = await startInstance(a.t, 'board-held', { request: 'x' });
    const run = await eventually(async () => (await board('?agent=board-held')).items.find((r) => r.processInstanceId === id && r.status === 'WAITING'));

    // then
    expect(run.activity).toMatchObject({ kind: 'stopped-by-kill-switch', label: 'stopped by the kill switch', reason: "agent 'board-held' is disabled" });
    await a.t.api.post('/api/agents/board-held/enable');
    await instanceIn(a.t, id, 'COMPLETED');
    expect((await board('?agent=board-held')).items).toEqual([]);
  });

  it('keeps the since of a run held by the kill switch across its re-checks', async () => {
    // given a short wait backoff: the held run is woken, checked and held again every 150 ms
    a.worker(fakeModel().respond(new AIMessage('{"answer": "x"}')), { waitBackoffMs: 150 });
    await a.t.api.post('/api/agents/board-held/disable');
    const id = await startInstance(a.t, 'board-held', { request: 'x' });
    const first = await eventually(async () => (await board('?agent=board-held')).items.find((r) => r.processInstanceId === id && r.status === 'WAITING'));
    const checked = async () => (await a.t.weft.db('agent_runs').where({ id: first.id }).first('updated_at')).updated_at.getTime();
    const firstCheck = await checked();

    // when it has been re-checked at least twice
    await eventually(async () => (await checked()) > firstCheck + 300, 10_000);
    const later = await eventually(async () => (await board('?agent=board-held')).items.find((r) => r.id === first.id && r.status === 'WAITING'));

    // then
    expect(later.activity).toMatchObject({ kind: 'stopped-by-kill-switch', since: first.activity.since });
    await a.t.api.post('/api/agents/board-held/enable');
    await instanceIn(a.t, id, 'COMPLETED');
  });

  it('counts the limits of a later ad-hoc turn across the earlier turns, as governance does; usage is the turn\'s own', async () => {
    // given an agent choosing activities: the first turn calls one, the second finishes
    a.t.weft.worker('crm-lookup', () => ({ plan: 'gold' }));
    const xml = readFileSync(new URL('../fixtures/agents/ad-hoc-concierge.bpmn', import.meta.url), 'utf8');
    await deployAgent(a.t, agentDefinition({ name: 'concierge', limits: { maxModelCalls: 5, maxTokens: 1000 } }), xml, 'ad-hoc-concierge');
    a.worker(
      fakeModel()
        .respond(new AIMessage({ content: '', tool_calls: [{ name: 'lookup-account', args: { customerId: 'c-1' }, id: 'call-lookup', type: 'tool_call' }], usage_metadata: usage(100, 10) }))
        .respond(new AIMessage({ content: '{"answer": "gold"}', usage_metadata: usage(200, 20) })),
    );

    // when
    const id = await startInstance(a.t, 'ad-hoc-concierge', { request: 'x', customerId: 'c-1' });
    await instanceIn(a.t, id, 'COMPLETED');

    // then: two turns; the second's own usage, and its limits with the first turn's
    const runs = (await board(`?processInstanceId=${id}`)).items;
    expect(runs).toHaveLength(2);
    expect(runs[0].limits).toEqual([{ name: 'maxModelCalls', limit: 5, used: 1 }, { name: 'maxTokens', limit: 1000, used: 110 }]);
    expect(runs[1].usage).toMatchObject({ modelCalls: 1, totalTokens: 220 });
    expect(runs[1].limits).toEqual([{ name: 'maxModelCalls', limit: 5, used: 2 }, { name: 'maxTokens', limit: 1000, used: 330 }]);
  });

  it('says "calling the model" only while a worker holds the lease: a crashed worker\'s run says its lease ran out', async () => {
    // given a model that never answers, and a short lease
    await deployAgent(a.t, agentDefinition({ name: 'board-hang' }), agentProcess({ id: 'board-hang', agent: 'board-hang' }), 'board-hang');
    const model = fakeModel();
    model.invoke = () => new Promise(() => undefined);
    a.worker(model, { timeoutMs: 1500 });
    const id = await startInstance(a.t, 'board-hang', { request: 'x' });

    // then while the attempt holds the job
    const calling = await eventually(async () => (await board('?agent=board-hang')).items.find((r) => r.processInstanceId === id && r.activity.kind === 'calling-model'));
    expect(calling.activity.label).toBe('calling the model');

    // when the worker dies mid-call
    await a.closeWorkers();

    // then, once its lease is over, the run no longer claims to be calling the model
    const after = await eventually(async () => {
      const run = (await board('?agent=board-hang')).items.find((r) => r.processInstanceId === id);
      return run && run.activity.kind !== 'calling-model' && run;
    }, 10_000);
    expect(['lease-expired', 'waiting-for-worker']).toContain(after.activity.kind);
    expect(after.status).toBe('RUNNING');
  });

  it('tells the change feed of a run\'s journal steps, which no engine command commits (the page follows them live)', async () => {
    // given a run whose model asks for a tool that does not answer (in-process: no job, no engine command meanwhile)
    a.tools.register('board-slow', () => new Promise(() => undefined));
    await deployAgent(
      a.t,
      agentDefinition({ name: 'board-live', tools: [{ name: 'slow', kind: 'worker', workerType: 'board-slow', policy: 'allow' }] }),
      agentProcess({ id: 'board-live', agent: 'board-live' }),
      'board-live',
    );
    const told: string[][] = [];
    const engine = a.t.weft.engine;
    const noteChanged = engine.noteChanged.bind(engine);
    engine.noteChanged = (ids) => {
      told.push([...ids]);
      noteChanged(ids);
    };
    const heard: string[] = [];
    const stop = a.t.weft.changes.listen((change) => 'ids' in change && heard.push(...change.ids));
    const live = fakeModel().respond(new AIMessage({ content: '', tool_calls: [{ name: 'slow', args: {}, id: 's1', type: 'tool_call' }], usage_metadata: usage(10, 5) }));
    // The runs of the tests above that wait and are re-checked get a model that never answers: they must not take this one's answer.
    const silent = fakeModel();
    silent.invoke = () => new Promise(() => undefined);
    a.worker((name) => (name === 'board-live' ? live : silent));
    const id = await startInstance(a.t, 'board-live', { request: 'x' });

    // when the run starts and its model's step is journaled (then it waits on the tool: nothing commits)
    await eventually(async () => (await board('?agent=board-live')).items.find((r) => r.processInstanceId === id && r.activity.kind === 'calling-tool'), 15_000);

    // then the engine was told of the instance for each (the run's start, the model's step), and the feed carries it
    expect(told.filter((ids) => ids.includes(id)).length).toBeGreaterThanOrEqual(2);
    await eventually(async () => heard.includes(id) || undefined);
    stop();
    engine.noteChanged = noteChanged;
    await a.closeWorkers();
  });

  it('pages, newest first, and keeps the instance listing as it was', async () => {
    const all = await board('?state=all');
    expect(all.total).toBeGreaterThanOrEqual(3);
    const first = await board('?state=all&limit=1');
    const second = await board('?state=all&limit=1&offset=1');
    expect(first.items).toHaveLength(1);
    expect(first.items[0].id).toBe(all.items[0].id);
    expect(second.items[0].id).toBe(all.items[1].id);
    expect(new Date(all.items[0].startedAt).getTime()).toBeGreaterThanOrEqual(new Date(all.items[1].startedAt).getTime());
    // an instance's runs: every state by default
    const done = (await board('?state=ended&agent=board-done')).items[0];
    expect((await board(`?processInstanceId=${done.processInstanceId}`)).items.map((r) => r.id)).toEqual([done.id]);
  });

  it('answers 400 naming the field for a bad filter', async () => {
    for (const [query, field] of [
      ['?state=sleeping', 'state'],
      ['?limit=0', 'limit'],
      ['?limit=abc', 'limit'],
      ['?offset=-1', 'offset'],
      ['?processInstanceId=nope', 'processInstanceId'],
      ['?agent=', 'agent'],
      // a misspelt filter is refused, not ignored (it would widen the list to every instance)
      ['?processInstanceID=nope', 'processInstanceID'],
      ['?status=WAITING', 'status'],
      ['?limit=201', 'limit'],
    ]) {
      const res = await a.t.api.get(`/api/agent-runs${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(field);
    }
  });

  it('refuses plain users and modelers (403) and lets operators read it', async () => {
    const base = a.t.weft.url!;
    for (const [name, role] of [['vu-user', 'user'], ['vu-modeler', 'modeler'], ['vu-operator', 'operator']] as const) await addUser(a.t.api, name, role);
    const user = await signIn(base, 'vu-user', 'vu-user-password');
    const modeler = await signIn(base, 'vu-modeler', 'vu-modeler-password');
    const operator = await signIn(base, 'vu-operator', 'vu-operator-password');
    expect((await user.get('/api/agent-runs')).status).toBe(403);
    expect((await modeler.get('/api/agent-runs?state=all')).status).toBe(403);
    expect((await user.post('/api/agents/board-held/disable', {})).status).toBe(403);
    expect((await a.t.api.get('/api/agents')).body.items.find((d: any) => d.name === 'board-held').disabled).toBe(false);
    expect((await operator.get('/api/agent-runs')).status).toBe(200);
  });
});
