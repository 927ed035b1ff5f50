import { describe, expect, it } from 'vitest';
import { parseAgentDefinition } from '../../../connectors/agents/definition.js';
import { agentDefinition } from '../../fixtures/agents/agent-harness.js';

const parse = (d: unknown) => parseAgentDefinition('a.agent.json', JSON.stringify(d));

describe('agent definitions', () => {
  it('accepts a complete definition and fills defaults', () => {
    const result = parse(agentDefinition({ tools: [{ name: 'search', kind: 'mcp', mcp: { connection: 'kb' }, policy: 'allow' }] }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.definition.review).toEqual({ candidateGroups: [], rejectErrorCode: 'AGENT_REVIEW_REJECTED' });
  });

  it('names the field of every problem', () => {
    const result = parse(agentDefinition({ model: { provider: 'acme', model: 'x' }, policies: [{ when: 'true', decision: 'reject' }], tools: [{ name: 'w', kind: 'worker', policy: 'allow' }] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field).sort()).toEqual(['model.provider', 'policies.0.errorCode', 'tools.0.workerType']);
  });

  it('needs the model to name a connection (or a provider, for its default connection)', () => {
    const result = parse(agentDefinition({ model: { model: 'gpt-4o-mini' } }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([{ file: 'a.agent.json', field: 'model.connection', message: expect.stringContaining('name the connection the model is reached through') }]);
    expect(parse(agentDefinition({ model: { connection: 'azure', model: 'gpt-4o' } })).ok).toBe(true);
  });

  it('checks FEEL conditions and the confidence field at deploy', () => {
    const result = parse(
      agentDefinition({
        tools: [{ name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'amount <' }],
        confidence: { field: 'certainty', threshold: 0.8 },
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toEqual(['tools.0.when', 'confidence.field']);
  });

  it('refuses conditions that read a bare name, naming the field, the name and the fix', () => {
    const result = parse(
      agentDefinition({
        tools: [
          { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'args.amount <= 50' },
          { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'needs-approval', when: 'amount <= limit and output.x' },
        ],
        policies: [
          { when: 'output.total > variables.approvalLimit and confidence < 0.9', decision: 'review' },
          { when: 'total > approvalLimit', decision: 'reject', errorCode: 'TOO_MUCH' },
          { when: 'some x in output.lines satisfies x.amount > variables.cap', decision: 'review' },
          { when: 'count(output.lines[variables.cap < item.amount]) > 0', decision: 'review' },
        ],
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.file, p.field])).toEqual([
      ['a.agent.json', 'tools.1.when'],
      ['a.agent.json', 'tools.1.when'],
      ['a.agent.json', 'tools.1.when'],
      ['a.agent.json', 'policies.1.when'],
      ['a.agent.json', 'policies.1.when'],
      ['a.agent.json', 'policies.3.when'],
    ]);
    const [amount, limit, output, total, , filtered] = result.problems.map((p) => p.message);
    expect(amount).toBe(
      "tools.1.when: reads the bare name 'amount', which could be a model argument or a process variable; write args.amount or variables.amount (the condition sees variables, args) (expression: amount <= limit and output.x)",
    );
    expect(limit).toContain('write args.limit or variables.limit');
    expect(output).toContain("bare name 'output'");
    expect(total).toContain("reads the bare name 'total', which could be an output field or a process variable; write output.total or variables.total");
    expect(filtered).toContain("reads 'variables' inside a filter's brackets");
  });

  it('refuses text that is not JSON and unknown fields', () => {
    expect(parseAgentDefinition('x.agent.json', '{nope').ok).toBe(false);
    const result = parse(agentDefinition({ apiKey: 'sk-1' }));
    expect(result.ok).toBe(false);
  });
});
