import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { agentDefinition, deployAgent, eventually, instanceIn, runsOf, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';

const xml = readFileSync(new URL('../fixtures/agents/ad-hoc-concierge.bpmn', import.meta.url), 'utf8');

describe('an agent choosing the activities of an ad-hoc sub-process', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('loops: runs a service task and a user task it chose, sees their results, and finishes', async () => {
    // given
    const lookups: unknown[] = [];
    a.t.weft.worker('crm-lookup', (job) => {
      // The model's argument under toolCall; the process's own variable of the same name untouched.
      lookups.push({ argument: (job.variables.toolCall as { customerId?: unknown }).customerId, process: job.variables.customerId });
      return { plan: 'gold' };
    });
    await deployAgent(a.t, agentDefinition({ name: 'concierge', limits: { maxModelCalls: 5 } }), xml, 'ad-hoc-concierge');
    const model = fakeModel()
      .respondWithTools([{ name: 'lookup-account', args: { customerId: 'c-1' }, id: 'call-lookup' }])
      .respondWithTools([{ name: 'ask-customer', args: { question: 'Which device?' }, id: 'call-ask' }])
      .respond(new AIMessage('{"answer": "gold plan on an iPhone: use the priority line"}'));
    let bound: any[] = [];
    const bind = model.bindTools.bind(model);
    model.bindTools = (tools) => {
      bound = tools as any[];
      return bind(tools);
    };
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'ad-hoc-concierge', { request: 'My phone does not sync', customerId: 'c-process' });

    // then the agent's second choice is a person
    const task = await eventually(async () => (await a.t.api.get(`/api/tasks?processInstanceId=${id}&state=CREATED`)).body.items[0]);
    expect(task).toMatchObject({ elementId: 'ask-customer', candidateGroups: ['support'] });
    expect(task.variables.toolCall.question).toBe('Which device?');
    expect(lookups).toEqual([{ argument: 'c-1', process: 'c-process' }]);
    expect(bound.map((t) => t.function.name)).toEqual(['lookup-account', 'ask-customer']);
    expect(model.callCount).toBe(2);

    // when the person answers
    await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: { answer: 'iPhone' } });

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables.agentResult.output.answer).toMatch(/gold plan on an iPhone/);
    expect(model.callCount).toBe(3);
    const lastCall = model.calls[2].messages.map((m: any) => [m.getType(), typeof m.content === 'string' ? m.content : JSON.stringify(m.content)]);
    expect(lastCall.map(([type]) => type)).toEqual(['system', 'human', 'ai', 'tool', 'ai', 'tool']);
    expect(lastCall[3][1]).toBe('{"plan":"gold"}');
    expect(lastCall[5][1]).toBe('{"answer":"iPhone"}');
    const runs = await runsOf(a.t, id);
    expect(runs).toHaveLength(3); // one agent job per turn
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items.map((e: any) => e.type);
    expect(audit.filter((t: string) => t === 'AGENT_ACTIVITIES_CHOSEN')).toHaveLength(2);
  });
});
