/**
 * Evaluates a deployed decision (pure: no I/O, the clock passed in). The
 * decisions it requires are evaluated first, each once, and their results
 * are visible to it by decision id (and by the decision's variable name, when
 * it has one, as Camunda 8 names them). FEEL runs only through the runtime's
 * bounded evaluator (runtime/feel.ts). A failure is returned as data naming
 * the decision and the rule, input or output; this never throws for a
 * user's mistake.
 */
import { evaluateFeel } from '../runtime/feel.js';
import type { Variables } from '../runtime/types.js';
import type { CompiledDecision, CompiledDrg } from './types.js';
import type { DecisionEvaluation, EvaluatedDecision, MatchedRule, TableFailure } from './evaluation-types.js';
import { evaluateDecisionTable } from './decision-table-evaluator.js';
import { evaluationOrder } from './requirements.js';

export function evaluateDecision(drg: CompiledDrg, decisionId: string, variables: Variables, now: string): DecisionEvaluation {
  const evaluatedDecisions: EvaluatedDecision[] = [];
  if (!drg.decisions[decisionId]) {
    return { ok: false, decisionId, failure: { decisionId, message: `Decision '${decisionId}' is not in decision requirements '${drg.id}'` }, evaluatedDecisions };
  }
  const results = new Map<string, unknown>();
  let matchedRules: MatchedRule[] = [];
  for (const id of evaluationOrder(drg.decisions, decisionId)) {
    const decision = drg.decisions[id];
    const context = { ...variables };
    for (const required of decision.requires) {
      const value = results.get(required);
      context[required] = value;
      const name = drg.decisions[required].variableName;
      if (name) context[name] = value;
    }
    const outcome = evaluateOne(decision, context, now);
    if (!outcome.ok) {
      const { message, ...place } = outcome.failure;
      const via = id === decisionId ? '' : ` (required by '${decisionId}')`;
      return { ok: false, decisionId, failure: { decisionId: id, ...place, message: `Decision '${id}'${via} could not be evaluated: ${message}` }, evaluatedDecisions };
    }
    results.set(id, outcome.evaluated.result);
    evaluatedDecisions.push(outcome.evaluated);
    if (id === decisionId) matchedRules = outcome.evaluated.matchedRules ?? [];
  }
  return { ok: true, decisionId, result: results.get(decisionId) ?? null, matchedRules, evaluatedDecisions };
}

type Outcome = { ok: true; evaluated: EvaluatedDecision } | { ok: false; failure: TableFailure };

function evaluateOne(decision: CompiledDecision, context: Variables, now: string): Outcome {
  const head = { decisionId: decision.id, ...(decision.name ? { decisionName: decision.name } : {}) };
  if (decision.logic.type === 'literalExpression') {
    const value = evaluateFeel(decision.logic.expression, context, now);
    if (!value.ok) return { ok: false, failure: { message: `literal expression: ${value.message}` } };
    return { ok: true, evaluated: { ...head, decisionType: 'LITERAL_EXPRESSION', result: value.value } };
  }
  const table = evaluateDecisionTable(decision.logic, context, now);
  if (!table.ok) return { ok: false, failure: table.failure };
  return { ok: true, evaluated: { ...head, decisionType: 'DECISION_TABLE', result: table.result, inputs: table.inputs, matchedRules: table.matchedRules } };
}
