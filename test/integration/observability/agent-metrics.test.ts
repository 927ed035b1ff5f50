/**
 * The agent figures at GET /metrics: model calls, input and output tokens and
 * the estimated cost, per agent definition, counted once each call is
 * journaled.
 */
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDefinition, agentProcess, deployAgent, instanceIn, startAgentTest, startInstance, type AgentTest } from '../../fixtures/agents/agent-harness.js';
import { parseMetrics, sample } from './prometheus-text.js';

describe('agent metrics', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('counts each model call, its tokens and its cost under the agent that made it', async () => {
    // given an agent priced at $2 / $10 per million tokens, whose model first calls a tool, then answers
    const definition = agentDefinition({ name: 'counted', model: { provider: 'openai', model: 'gpt-test', temperature: 0, pricing: { inputPerMTok: 2, outputPerMTok: 10 } }, tools: [{ name: 'lookup', kind: 'worker', workerType: 'lookup', policy: 'allow' }] });
    await deployAgent(a.t, definition, agentProcess({ id: 'counted', agent: 'counted' }), 'counted');
    a.tools.register('lookup', () => ({ found: true }));
    const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, total_tokens: input + output });
    const model = fakeModel()
      .respondWithTools([{ name: 'lookup', args: { q: 'x' }, id: 'l1' }])
      .respond(new AIMessage({ content: '{"answer": "done"}', usage_metadata: usage(1000, 200) }));
    a.worker(model, { onModelCall: (call) => a.t.weft.metrics.modelCalled(call) });

    // when
    const id = await startInstance(a.t, 'counted', { request: 'find x' });
    await instanceIn(a.t, id, 'COMPLETED');

    // then
    const res = await fetch(`${a.t.weft.url}/metrics`, { headers: { authorization: `Bearer ${a.t.config.adminToken}` } });
    const m = parseMetrics(await res.text());
    expect(model.callCount).toBe(2);
    expect(sample(m, 'weft_agent_model_calls_total', { agent: 'counted' })).toBe(2);
    expect(sample(m, 'weft_agent_tokens_total', { agent: 'counted', direction: 'input' })).toBe(1000);
    expect(sample(m, 'weft_agent_tokens_total', { agent: 'counted', direction: 'output' })).toBe(200);
    expect(sample(m, 'weft_agent_cost_usd_total', { agent: 'counted' })).toBeCloseTo((1000 * 2 + 200 * 10) / 1_000_000, 10);
    expect(sample(m, 'weft_jobs_completed_total', { job_type: 'agent' })).toBe(1);
  });
});
