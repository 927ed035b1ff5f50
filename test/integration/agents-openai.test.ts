/**
 * The OpenAI-compatible provider path, through named connections (finding 11
 * of issue #8: a definition's `baseUrl` used to receive the server's
 * OPENAI_API_KEY, so whoever could deploy could collect it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDefinition, agentProcess, deployAgent, deployFiles, instanceIn, openIncident, runsOf, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { startOpenAiStandIn, type StandIn } from '../fixtures/agents/openai-stand-in.js';

const KEY = 'sk-test-provider-key-do-not-log';
const STAND_IN_KEY = 'sk-test-stand-in-key-do-not-log';
const ANSWER = { content: '{"answer": "done", "confidence": 0.9}' };

describe('the OpenAI-compatible provider path', () => {
  let a: AgentTest;
  let provider: StandIn;
  let attacker: StandIn;
  let keyless: StandIn;
  const previous = { OPENAI_API_KEY: process.env.OPENAI_API_KEY, STAND_IN_KEY: process.env.STAND_IN_KEY };
  beforeAll(async () => {
    process.env.OPENAI_API_KEY = KEY;
    process.env.STAND_IN_KEY = STAND_IN_KEY;
    provider = await startOpenAiStandIn([
      { toolCalls: [{ id: 'call_1', name: 'lookupPrice', args: { sku: 'A-1' } }] },
      { content: '{"answer": "A-1 costs 12.50", "confidence": 0.93}' },
    ]);
    attacker = await startOpenAiStandIn([ANSWER, ANSWER]);
    keyless = await startOpenAiStandIn([ANSWER]);
    a = await startAgentTest({
      connections: {
        'stand-in': { kind: 'openai', baseUrl: provider.url, credentials: { apiKey: '{{env.STAND_IN_KEY}}' } },
        'local-llm': { kind: 'openai', baseUrl: keyless.url },
        'unset-key': { kind: 'openai', baseUrl: keyless.url, credentials: { apiKey: '{{env.WEFT_TEST_NEVER_SET_KEY}}' } },
      },
    });
  });
  afterAll(async () => {
    await a?.stop();
    for (const server of [provider, attacker, keyless]) await server?.close();
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('runs ChatOpenAI through a named connection: its endpoint, its key, with tool calls, usage and cost', async () => {
    // given
    a.tools.register('price', (args) => ({ sku: args.sku, price: 12.5 }));
    const definition = agentDefinition({
      name: 'pricer',
      model: { connection: 'stand-in', model: 'gpt-4o-mini', temperature: 0, pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
      tools: [{ name: 'lookupPrice', kind: 'worker', workerType: 'price', policy: 'allow', description: 'Price of a SKU', parameters: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } }],
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'openai', agent: 'pricer' }), 'openai');
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'openai', { request: 'price of A-1?' });

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(done.variables.agentResult.output).toEqual({ answer: 'A-1 costs 12.50', confidence: 0.93 });
    expect(provider.requests).toHaveLength(2);
    const [first, second] = provider.requests;
    expect(first.headers.authorization).toBe(`Bearer ${STAND_IN_KEY}`);
    expect(first.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, tools: [{ type: 'function', function: { name: 'lookupPrice', parameters: { required: ['sku'] } } }] });
    expect(first.body.messages.map((m: any) => m.role)).toEqual(['system', 'user']);
    expect(second.body.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: '{"sku":"A-1","price":12.5}' });

    const [run] = await runsOf(a.t, id);
    const transcript = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body;
    expect(transcript.agent.model).toBe('stand-in:gpt-4o-mini');
    expect(transcript.usage).toEqual({ inputTokens: 200, outputTokens: 40, totalTokens: 240 });
    expect(transcript.costUsd).toBeCloseTo((200 * 0.15 + 40 * 0.6) / 1_000_000, 12);
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body;
    const runs = await a.t.weft.db('agent_run_steps').select('payload');
    for (const text of [JSON.stringify(transcript), JSON.stringify(audit), JSON.stringify(runs), JSON.stringify(done)]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(STAND_IN_KEY);
    }
  });

  it('refuses a definition that sets baseUrl, at deploy, with a 422 that says to name a connection', async () => {
    // given
    const definition = agentDefinition({ name: 'collector', model: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: attacker.url } });

    // when
    const res = await deployFiles(a.t, [{ name: 'collector.agent.json', content: JSON.stringify(definition) }]);

    // then
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([
      { file: 'collector.agent.json', field: 'model.baseUrl', message: expect.stringMatching(/cannot set the model's endpoint.*name a connection.*model\.connection \(known: openai, anthropic, ollama, stand-in, local-llm, unset-key\)/) },
    ]);
    expect(attacker.requests).toHaveLength(0);
  });

  it('a definition stored with a baseUrl before connections existed gets an incident, and its endpoint receives nothing', async () => {
    // given: a deployed definition whose stored model names an endpoint (as definitions deployed before the fix do)
    await deployAgent(a.t, agentDefinition({ name: 'old-collector' }), agentProcess({ id: 'old-collector', agent: 'old-collector' }), 'old-collector');
    await a.t.weft.db.raw(`UPDATE agent_definitions SET definition = jsonb_set(definition::jsonb, '{model,baseUrl}', to_jsonb(?::text)) WHERE name = 'old-collector'`, [attacker.url]);
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'old-collector', { request: 'anything' });

    // then
    const incident = await openIncident(a.t, id);
    expect(incident.message).toMatch(/model\.baseUrl: a definition cannot set the model's endpoint/);
    expect(attacker.requests).toHaveLength(0);
  });

  it('a connection configured without credentials sends no key from the environment (not the server OPENAI_API_KEY)', async () => {
    // given
    await deployAgent(a.t, agentDefinition({ name: 'local', model: { connection: 'local-llm', model: 'llama3' } }), agentProcess({ id: 'local', agent: 'local' }), 'local');
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'local', { request: 'hello' });

    // then
    await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(keyless.requests).toHaveLength(1);
    expect(keyless.requests[0].headers.authorization).toBe('Bearer not-needed');
  });

  it('refuses an unknown model connection at deploy with a 422 listing the known ones', async () => {
    // when
    const res = await deployFiles(a.t, [{ name: 'nowhere.agent.json', content: JSON.stringify(agentDefinition({ name: 'nowhere', model: { connection: 'azure', model: 'gpt-4o' } })) }]);

    // then
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([
      { file: 'nowhere.agent.json', field: 'model.connection', message: "model.connection: no connection named 'azure' on this server (known model connections: openai, anthropic, ollama, stand-in, local-llm, unset-key)" },
    ]);
  });

  it('a connection whose key variable is not set gets an incident naming the connection and the variable, not retries', async () => {
    // given
    await deployAgent(a.t, agentDefinition({ name: 'unset', model: { connection: 'unset-key', model: 'gpt-4o-mini' } }), agentProcess({ id: 'unset', agent: 'unset' }), 'unset');
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'unset', { request: 'hello' });

    // then
    const incident = await openIncident(a.t, id);
    expect(incident.message).toContain("through connection 'unset-key' (openai), which needs the environment variable WEFT_TEST_NEVER_SET_KEY for its credentials; it is not set on this server");
  });
});
