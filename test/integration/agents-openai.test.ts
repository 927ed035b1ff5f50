import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDefinition, agentProcess, deployAgent, instanceIn, runsOf, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { startOpenAiStandIn, type StandIn } from '../fixtures/agents/openai-stand-in.js';

const KEY = 'sk-test-provider-key-do-not-log';

describe('the OpenAI-compatible provider path', () => {
  let a: AgentTest;
  let server: StandIn;
  const previousKey = process.env.OPENAI_API_KEY;
  beforeAll(async () => {
    process.env.OPENAI_API_KEY = KEY;
    a = await startAgentTest();
    server = await startOpenAiStandIn([
      { toolCalls: [{ id: 'call_1', name: 'lookupPrice', args: { sku: 'A-1' } }] },
      { content: '{"answer": "A-1 costs 12.50", "confidence": 0.93}' },
    ]);
  });
  afterAll(async () => {
    await a?.stop();
    await server?.close();
    if (previousKey === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = previousKey;
  });

  it('runs ChatOpenAI against a local server speaking /v1/chat/completions, with tool calls, usage and cost', async () => {
    // given
    a.tools.register('price', (args) => ({ sku: args.sku, price: 12.5 }));
    const definition = agentDefinition({
      name: 'pricer',
      model: { provider: 'openai', model: 'gpt-4o-mini', temperature: 0, baseUrl: server.url, pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
      tools: [{ name: 'lookupPrice', kind: 'worker', workerType: 'price', policy: 'allow', description: 'Price of a SKU', parameters: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } }],
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'openai', agent: 'pricer' }), 'openai');
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'openai', { request: 'price of A-1?' });

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(done.variables.agentResult.output).toEqual({ answer: 'A-1 costs 12.50', confidence: 0.93 });
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(first.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, tools: [{ type: 'function', function: { name: 'lookupPrice', parameters: { required: ['sku'] } } }] });
    expect(first.body.messages.map((m: any) => m.role)).toEqual(['system', 'user']);
    expect(second.body.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: '{"sku":"A-1","price":12.5}' });

    const [run] = await runsOf(a.t, id);
    const transcript = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body;
    expect(transcript.usage).toEqual({ inputTokens: 200, outputTokens: 40, totalTokens: 240 });
    expect(transcript.costUsd).toBeCloseTo((200 * 0.15 + 40 * 0.6) / 1_000_000, 12);
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body;
    const runs = await a.t.weft.db('agent_run_steps').select('payload');
    for (const text of [JSON.stringify(transcript), JSON.stringify(audit), JSON.stringify(runs), JSON.stringify(done)]) expect(text).not.toContain(KEY);
  });
});
