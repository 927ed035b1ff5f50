/**
 * One decision table, as Camunda 8 (dmn-scala) evaluates it: each input
 * expression once; each rule matches when every input entry holds for its
 * input's value (`-` always does); the matched rules' output entries are
 * evaluated (for FIRST only the first's); when none matches, the outputs'
 * defaults (or null) are the result; else the hit policy makes the result
 * (hit-policy.ts).
 */
import { evaluateFeel, evaluateUnaryTests } from '../runtime/feel.js';
import type { Variables } from '../runtime/types.js';
import type { DecisionTableLogic } from './types.js';
import type { EvaluatedInput, MatchedRule, TableFailure } from './evaluation-types.js';
import { applyHitPolicy, outputKey, singleResult } from './hit-policy.js';
import { describeInput, describeOutput, describeRule } from './names.js';

export type TableOutcome =
  | { ok: true; result: unknown; inputs: EvaluatedInput[]; matchedRules: MatchedRule[] }
  | { ok: false; failure: TableFailure };

export function evaluateDecisionTable(table: DecisionTableLogic, context: Variables, now: string): TableOutcome {
  const inputs: EvaluatedInput[] = [];
  for (const input of table.inputs) {
    const value = evaluateFeel(input.expression, context, now);
    const place = { input: { id: input.id, name: input.label || input.expression } };
    if (!value.ok) return { ok: false, failure: { ...place, message: `input ${describeInput(input)}: ${value.message}` } };
    inputs.push({ inputId: input.id, inputName: place.input.name, value: value.value });
  }

  const matched = [];
  for (const rule of table.rules) {
    let holds = true;
    for (let i = 0; i < table.inputs.length && holds; i++) {
      const tests = rule.inputEntries[i];
      if (tests === '-') continue;
      const test = evaluateUnaryTests(tests, inputs[i].value, context, now);
      if (!test.ok) {
        const input = table.inputs[i];
        const place = { rule: { id: rule.id, index: rule.index }, input: { id: input.id, name: inputs[i].inputName } };
        return { ok: false, failure: { ...place, message: `${describeRule(rule)}, input ${describeInput(input)}: ${test.message}` } };
      }
      holds = test.value;
    }
    if (holds) {
      matched.push(rule);
      if (table.hitPolicy === 'FIRST') break;
    }
  }

  if (matched.length === 0) return defaults(table, context, now, inputs);

  const matchedRules: MatchedRule[] = [];
  for (const rule of matched) {
    const outputs: Record<string, unknown> = {};
    for (let i = 0; i < table.outputs.length; i++) {
      const output = table.outputs[i];
      const entry = rule.outputEntries[i];
      const value = entry === null ? { ok: true as const, value: null } : evaluateFeel(entry, context, now);
      if (!value.ok) {
        const place = { rule: { id: rule.id, index: rule.index }, output: { id: output.id, name: outputKey(output) } };
        return { ok: false, failure: { ...place, message: `${describeRule(rule)}, output ${describeOutput(output)}: ${value.message}` } };
      }
      outputs[outputKey(output)] = value.value;
    }
    matchedRules.push({ ruleId: rule.id, ruleIndex: rule.index, outputs });
  }
  const result = applyHitPolicy(table, matchedRules);
  if (!result.ok) return { ok: false, failure: result.failure };
  return { ok: true, result: result.value, inputs, matchedRules };
}

/**
 * No rule matched: the outputs' defaults (`defaultOutputEntry`) are the
 * result, null for an output without one; null when no output has one.
 * Whatever the hit policy, as in Camunda 8 (a COLLECT table gives null, not
 * an empty list).
 */
function defaults(table: DecisionTableLogic, context: Variables, now: string, inputs: EvaluatedInput[]): TableOutcome {
  if (table.outputs.every((o) => o.defaultValue === undefined)) return { ok: true, result: null, inputs, matchedRules: [] };
  const values: Record<string, unknown> = {};
  for (const output of table.outputs) {
    const value = output.defaultValue === undefined ? { ok: true as const, value: null } : evaluateFeel(output.defaultValue, context, now);
    if (!value.ok) return { ok: false, failure: { output: { id: output.id, name: outputKey(output) }, message: `the default of output ${describeOutput(output)}: ${value.message}` } };
    values[outputKey(output)] = value.value;
  }
  return { ok: true, result: singleResult([values], table.outputs.length), inputs, matchedRules: [] };
}
