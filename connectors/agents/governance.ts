/**
 * The engine's rules for an agent, enforced in code whatever the model says:
 * which tool calls may run, what an output must be, and what happens to a
 * valid output.
 *
 * Conditions read engine facts and model facts from separate namespaces
 * (`variables.x`, `args.x`, `output.x`; condition-scope.ts), so nothing the
 * model produces can stand in for a process variable.
 */
import { evaluateFeel } from '../../engine/runtime/feel.js';
import { stripEquals } from '../../engine/model/feel-check.js';
import type { AgentDefinition, AgentTool } from './definition.js';
import { policyContext, toolConditionContext } from './condition-scope.js';
import { typeName, validateJson } from './json-schema.js';

export type ToolVerdict =
  | { verdict: 'allow'; tool: AgentTool }
  | { verdict: 'needs-approval'; tool: AgentTool }
  | { verdict: 'refused'; reason: string };

/**
 * The first tool entry with the called name whose `when` holds decides; a
 * name not in the definition, a `deny` entry, or no entry whose condition
 * holds refuses the call. A condition that fails to evaluate refuses too.
 * Arguments that break the tool's `parameters` (the schema the model was
 * offered: its first entry that is not denied) are refused before any
 * condition reads them, so neither a condition nor the tool sees them.
 */
export function judgeToolCall(definition: AgentDefinition, name: string, args: Record<string, unknown>, variables: Record<string, unknown>, now: string): ToolVerdict {
  const entries = definition.tools.filter((t) => t.name === name);
  if (entries.length === 0) return { verdict: 'refused', reason: `tool '${name}' is not on this agent's allow-list` };
  const offered = entries.find((t) => t.policy !== 'deny');
  const invalid = offered?.parameters ? validateJson(offered.parameters, args) : [];
  if (invalid.length > 0) return { verdict: 'refused', reason: `the arguments do not match the parameters of tool '${name}': ${invalid.join('; ')}` };
  for (const tool of entries) {
    if (tool.when) {
      const result = evaluateFeel(stripEquals(tool.when), toolConditionContext(args, variables), now);
      if (!result.ok) return { verdict: 'refused', reason: `the condition of tool '${name}' could not be evaluated: ${result.message}` };
      if (result.value !== true) continue;
    }
    if (tool.policy === 'deny') return { verdict: 'refused', reason: `tool '${name}' is denied by policy` };
    return { verdict: tool.policy, tool };
  }
  return { verdict: 'refused', reason: `no policy allows tool '${name}' with these arguments` };
}

/**
 * What every output must be, whoever produced it (the model's final answer,
 * a reviewer's edit): a JSON object, matching the output schema when there
 * is one. Errors are paths with reasons (`$.total: must be >= 0`).
 */
export function outputProblems(schema: AgentDefinition['output'], value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`$: the output must be a JSON object, got ${typeName(value)}`];
  return schema ? validateJson(schema, value) : [];
}

export type OutputDecision =
  | { decision: 'proceed'; reason: string }
  | { decision: 'review'; reason: string }
  | { decision: 'reject'; reason: string; errorCode: string; policy: number }
  | { decision: 'error'; reason: string };

/**
 * Policies in order (FEEL over `variables`, `output` and `confidence`); the
 * first that holds decides. Without one, a confidence below the threshold
 * goes to review, else the output proceeds.
 *
 * An output a person reviewed and approved (`reviewed`): the person's
 * approval satisfies every `review` policy and the confidence threshold, so
 * a `review` policy that holds is passed over; a `reject` policy still
 * rejects and a `proceed` policy still decides, in order.
 */
export function decideOutput(definition: AgentDefinition, output: Record<string, unknown>, variables: Record<string, unknown>, now: string, options: { reviewed?: boolean } = {}): OutputDecision {
  const confidence = confidenceOf(definition, output);
  const context = policyContext(output, variables, confidence);
  for (const [i, policy] of definition.policies.entries()) {
    const result = evaluateFeel(stripEquals(policy.when), context, now);
    if (!result.ok) return { decision: 'error', reason: `policies.${i}.when failed: ${result.message}` };
    if (result.value !== true) continue;
    if (options.reviewed && policy.decision === 'review') continue;
    const reason = policy.reason ?? `policy ${i} (${policy.when}) holds`;
    if (policy.decision === 'reject') return { decision: 'reject', reason, errorCode: policy.errorCode!, policy: i };
    return { decision: policy.decision, reason };
  }
  if (options.reviewed) return { decision: 'proceed', reason: 'approved by a reviewer' };
  if (definition.confidence && (confidence === null || confidence < definition.confidence.threshold)) {
    return { decision: 'review', reason: `confidence ${confidence ?? 'missing'} is below the threshold ${definition.confidence.threshold}` };
  }
  return { decision: 'proceed', reason: 'no policy objected' };
}

export function confidenceOf(definition: AgentDefinition, output: Record<string, unknown>): number | null {
  if (!definition.confidence) return null;
  const value = output[definition.confidence.field];
  return typeof value === 'number' ? value : null;
}
