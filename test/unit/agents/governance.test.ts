import { describe, expect, it } from 'vitest';
import { agentDefinitionSchema } from '../../../connectors/agents/definition.js';
import { decideOutput, judgeToolCall } from '../../../connectors/agents/governance.js';
import { validateJson, parseJsonReply } from '../../../connectors/agents/json-schema.js';
import { renderPrompt } from '../../../connectors/agents/prompt.js';
import { redact } from '../../../engine/security/redaction.js';
import { costOf } from '../../../connectors/agents/models.js';
import { agentDefinition } from '../../fixtures/agents/agent-harness.js';

const NOW = '2026-11-25T12:00:00.000Z';
const definition = agentDefinitionSchema.parse(
  agentDefinition({
    tools: [
      { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'amount <= 100' },
      { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'needs-approval', when: 'amount <= 1000' },
      { name: 'wipe', kind: 'worker', workerType: 'wipe', policy: 'deny' },
    ],
    confidence: { field: 'confidence', threshold: 0.7 },
    policies: [
      { when: 'output.answer = "fraud"', decision: 'reject', errorCode: 'FRAUD' },
      { when: 'variables.vip = true', decision: 'review' },
    ],
  }),
);

describe('tool verdicts', () => {
  it('takes the first entry whose condition holds', () => {
    expect(judgeToolCall(definition, 'refund', { amount: 50 }, {}, NOW).verdict).toBe('allow');
    expect(judgeToolCall(definition, 'refund', { amount: 500 }, {}, NOW).verdict).toBe('needs-approval');
    expect(judgeToolCall(definition, 'refund', { amount: 5000 }, {}, NOW)).toMatchObject({ verdict: 'refused', reason: expect.stringMatching(/no policy allows/) });
  });
  it('refuses denied and unknown tools', () => {
    expect(judgeToolCall(definition, 'wipe', {}, {}, NOW)).toMatchObject({ verdict: 'refused', reason: expect.stringMatching(/denied/) });
    expect(judgeToolCall(definition, 'shell', {}, {}, NOW)).toMatchObject({ verdict: 'refused', reason: expect.stringMatching(/allow-list/) });
  });
});

describe('output decisions', () => {
  it('applies policies in order, then the confidence threshold', () => {
    expect(decideOutput(definition, { answer: 'fraud', confidence: 0.99 }, {}, NOW)).toMatchObject({ decision: 'reject', errorCode: 'FRAUD' });
    expect(decideOutput(definition, { answer: 'ok', confidence: 0.99 }, { vip: true }, NOW).decision).toBe('review');
    expect(decideOutput(definition, { answer: 'ok', confidence: 0.5 }, {}, NOW).decision).toBe('review');
    expect(decideOutput(definition, { answer: 'ok', confidence: 0.9 }, {}, NOW).decision).toBe('proceed');
  });
});

describe('helpers', () => {
  it('validates JSON against a schema', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1 }, tag: { enum: ['a', 'b'] } }, required: ['n'], additionalProperties: false };
    expect(validateJson(schema, { n: 2, tag: 'a' })).toEqual([]);
    expect(validateJson(schema, { n: 0, tag: 'c', x: 1 })).toEqual(['$.n: must be >= 1', '$.tag: must be one of "a", "b"', '$.x: is not allowed']);
    expect(validateJson(schema, {})).toEqual(['$.n: is required']);
    expect(parseJsonReply('Here:\n```json\n{"a":1}\n```')).toEqual({ ok: true, value: { a: 1 } });
  });
  it('renders prompts and redacts secrets', () => {
    expect(renderPrompt('Hi {{ user.name }} {{missing}}{{items}}', { user: { name: 'Ann' }, items: [1] })).toBe('Hi Ann [1]');
    expect(redact({ headers: { Authorization: 'Bearer x' }, nested: [{ api_key: 'k', ok: 1 }] })).toEqual({ headers: { Authorization: '[redacted]' }, nested: [{ api_key: '[redacted]', ok: 1 }] });
    expect(redact('401 Incorrect API key provided: sk-proj-abc123***********xyz.')).toBe('401 Incorrect API key provided: [redacted]');
  });
});

describe('cost estimate', () => {
  it('uses the definition\'s pricing, else the list price, and nothing for local models', () => {
    const usage = { input: 1_000_000, output: 1_000_000 };
    expect(costOf({ provider: 'openai', model: 'x', temperature: 0, pricing: { inputPerMTok: 1, outputPerMTok: 2 } }, usage)).toBe(3);
    expect(costOf({ provider: 'openai', model: 'gpt-4o-mini-2024-07-18', temperature: 0 }, usage)).toBeCloseTo(0.75);
    expect(costOf({ provider: 'ollama', model: 'gpt-4o-mini', temperature: 0 }, usage)).toBe(0);
    expect(costOf({ provider: 'anthropic', model: 'unknown', temperature: 0 }, usage)).toBe(0);
  });
});
