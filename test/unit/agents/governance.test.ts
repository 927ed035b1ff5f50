import { describe, expect, it } from 'vitest';
import { agentDefinitionSchema } from '../../../connectors/agents/definition.js';
import { decideOutput, judgeToolCall, outputProblems } from '../../../connectors/agents/governance.js';
import { validateJson, parseJsonReply } from '../../../connectors/agents/json-schema.js';
import { renderPrompt } from '../../../connectors/agents/prompt.js';
import { redact } from '../../../connectors/agents/redact.js';
import { costOf } from '../../../connectors/agents/models.js';
import { agentDefinition } from '../../fixtures/agents/agent-harness.js';

const NOW = '2026-11-25T12:00:00.000Z';
const definition = agentDefinitionSchema.parse(
  agentDefinition({
    tools: [
      { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'args.amount <= 100' },
      { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'needs-approval', when: 'args.amount <= 1000' },
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
  it('refuses arguments that break the tool\'s parameters before any condition or tool sees them', () => {
    const typed = agentDefinitionSchema.parse(
      agentDefinition({ tools: [{ name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', parameters: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } }] }),
    );
    expect(judgeToolCall(typed, 'refund', { amount: 5 }, {}, NOW).verdict).toBe('allow');
    expect(judgeToolCall(typed, 'refund', { amount: '5' }, {}, NOW)).toEqual({ verdict: 'refused', reason: "the arguments do not match the parameters of tool 'refund': $.amount: must be number, got string" });
    expect(judgeToolCall(typed, 'refund', {}, {}, NOW)).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('$.amount: is required') });
  });

  it('refuses denied and unknown tools', () => {
    expect(judgeToolCall(definition, 'wipe', {}, {}, NOW)).toMatchObject({ verdict: 'refused', reason: expect.stringMatching(/denied/) });
    expect(judgeToolCall(definition, 'shell', {}, {}, NOW)).toMatchObject({ verdict: 'refused', reason: expect.stringMatching(/allow-list/) });
  });
});

describe('conditions read engine facts and model facts from separate namespaces', () => {
  const guarded = agentDefinitionSchema.parse(
    agentDefinition({
      tools: [
        { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'args.amount <= variables.autoApproveLimit' },
        { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'needs-approval' },
      ],
      policies: [{ when: 'output.total > variables.approvalLimit', decision: 'reject', errorCode: 'TOO_MUCH' }],
    }),
  );

  it('a model argument named variables does not replace the process variables', () => {
    // given the process allows 50 without approval; when the model sends its own `variables`
    const verdict = judgeToolCall(guarded, 'refund', { amount: 400, variables: { autoApproveLimit: 1_000_000 } }, { autoApproveLimit: 50 }, NOW);
    // then the condition reads the process's limit
    expect(verdict.verdict).toBe('needs-approval');
    expect(judgeToolCall(guarded, 'refund', { amount: 40, variables: { autoApproveLimit: 0 } }, { autoApproveLimit: 50 }, NOW).verdict).toBe('allow');
  });

  it('an output field named variables does not replace the process variables in a policy', () => {
    const decision = decideOutput(guarded, { answer: 'x', total: 5000, variables: { approvalLimit: 1e9 }, approvalLimit: 1e9 }, { approvalLimit: 1000 }, NOW);
    expect(decision).toMatchObject({ decision: 'reject', errorCode: 'TOO_MUCH', policy: 0 });
  });

  it('a definition stored with bare names (deployed before the check) fails closed: an output field cannot shadow a variable', () => {
    // given a policy over bare names, as deployed before bare names were refused
    const legacy = agentDefinitionSchema.parse(
      agentDefinition({
        tools: [{ name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'amount <= autoApproveLimit' }],
        policies: [{ when: 'total > approvalLimit', decision: 'reject', errorCode: 'TOO_MUCH' }],
      }),
    );
    // when the output carries its own approvalLimit, then it is not read: the policy cannot evaluate (an incident), it does not proceed
    expect(decideOutput(legacy, { answer: 'x', total: 5000, approvalLimit: 1e9 }, { approvalLimit: 1000 }, NOW).decision).toBe('error');
    // and a tool call is refused, not allowed
    expect(judgeToolCall(legacy, 'refund', { amount: 400, autoApproveLimit: 1e9 }, { autoApproveLimit: 50 }, NOW).verdict).toBe('refused');
  });
});

describe('output decisions', () => {
  it('applies policies in order, then the confidence threshold', () => {
    expect(decideOutput(definition, { answer: 'fraud', confidence: 0.99 }, {}, NOW)).toMatchObject({ decision: 'reject', errorCode: 'FRAUD' });
    expect(decideOutput(definition, { answer: 'ok', confidence: 0.99 }, { vip: true }, NOW).decision).toBe('review');
    expect(decideOutput(definition, { answer: 'ok', confidence: 0.5 }, {}, NOW).decision).toBe('review');
    expect(decideOutput(definition, { answer: 'ok', confidence: 0.9 }, {}, NOW).decision).toBe('proceed');
  });

  it('for an output a person approved: review policies and the threshold are satisfied, reject still rejects', () => {
    const reviewed = { reviewed: true };
    expect(decideOutput(definition, { answer: 'ok', confidence: 0.1 }, { vip: true }, NOW, reviewed).decision).toBe('proceed');
    expect(decideOutput(definition, { answer: 'fraud', confidence: 1 }, {}, NOW, reviewed)).toMatchObject({ decision: 'reject', errorCode: 'FRAUD' });
  });

  it('an output is a JSON object, whoever wrote it, with or without a schema', () => {
    const schemaless = agentDefinitionSchema.parse(agentDefinition({ output: undefined }));
    expect(outputProblems(schemaless.output, null)).toEqual(['$: the output must be a JSON object, got null']);
    expect(outputProblems(schemaless.output, [{ answer: 'x' }])).toEqual(['$: the output must be a JSON object, got array']);
    expect(outputProblems(schemaless.output, 'text')).toEqual(['$: the output must be a JSON object, got string']);
    expect(outputProblems(schemaless.output, {})).toEqual([]);
    expect(outputProblems(definition.output, { answer: 3 })).toEqual(['$.answer: must be string, got number']);
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
    expect(costOf({ provider: 'openai', model: 'x', temperature: 0, pricing: { inputPerMTok: 1, outputPerMTok: 2 } }, 'openai', usage)).toBe(3);
    expect(costOf({ provider: 'openai', model: 'gpt-4o-mini-2024-07-18', temperature: 0 }, 'openai', usage)).toBeCloseTo(0.75);
    expect(costOf({ connection: 'local', model: 'gpt-4o-mini', temperature: 0 }, 'ollama', usage)).toBe(0);
    expect(costOf({ provider: 'anthropic', model: 'unknown', temperature: 0 }, 'anthropic', usage)).toBe(0);
  });
});
