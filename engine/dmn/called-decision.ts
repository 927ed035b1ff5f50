/**
 * The answer to a business rule task's EVALUATE_DECISION effect, pure: given
 * the deployed decision the command path found for the effect's binding (or
 * none), the DECISION_EVALUATED command to feed back into the step.
 */
import type { Binding } from '../model/types.js';
import type { Command, Effect } from '../runtime/types.js';
import { evaluateDecision } from './evaluate-decision.js';
import type { CompiledDrg } from './types.js';

export type EvaluateDecisionEffect = Extract<Effect, { type: 'EVALUATE_DECISION' }>;
export type DecisionEvaluatedCommand = Extract<Command, { type: 'DECISION_EVALUATED' }>;

/** A deployed decision version and the compiled file (DRG) it belongs to. */
export interface DeployedDecision {
  key: string;
  decisionId: string;
  version: number;
  drg: CompiledDrg;
}

export function decisionEvaluatedCommand(effect: EvaluateDecisionEffect, deployed: DeployedDecision | undefined, now: string): DecisionEvaluatedCommand {
  const base = { type: 'DECISION_EVALUATED' as const, elementInstanceKey: effect.elementInstanceKey, decisionId: effect.decisionId };
  if (!deployed) return { ...base, failure: { message: `No decision '${effect.decisionId}' is deployed${describeBinding(effect.binding)}`, notFound: true } };
  const decision = { key: deployed.key, version: deployed.version };
  const evaluation = evaluateDecision(deployed.drg, effect.decisionId, effect.variables, now);
  if (!evaluation.ok) return { ...base, decision, failure: { message: evaluation.failure.message }, evaluatedDecisions: evaluation.evaluatedDecisions };
  return { ...base, decision, result: evaluation.result, evaluatedDecisions: evaluation.evaluatedDecisions };
}

export function describeBinding(binding: Binding): string {
  if (binding.type === 'deployment') return ' in the deployment of this process';
  if (binding.type === 'versionTag') return ` with version tag '${binding.versionTag}'`;
  return '';
}
