/**
 * A decision table, checked and compiled: its hit policy (and aggregation),
 * its inputs with their FEEL input expressions, its outputs, and its rules
 * with one unary test per input and one FEEL expression per output. Each
 * problem names the decision and the rule, input or output it is about.
 */
import { feelSyntaxError, unaryTestsSyntaxError } from '../model/feel-check.js';
import type { Problems } from '../model/problems.js';
import { feelText } from './feel-text.js';
import type { DmnDecisionTable, DmnInputClause, DmnOutputClause, DmnRule } from './moddle.js';
import { AGGREGATIONS, HIT_POLICIES, type Aggregation, type DecisionInput, type DecisionOutput, type DecisionRule, type DecisionTableLogic, type HitPolicy } from './types.js';
import { describeInput, describeOutput, describeRule } from './names.js';
import { parseOutputValues } from './output-values.js';

const KIND = 'dmn:DecisionTable';

export function compileDecisionTable(decisionId: string, table: DmnDecisionTable, problems: Problems): DecisionTableLogic | undefined {
  const before = problems.list.length;
  const where = (field?: string) => ({ elementId: decisionId, elementKind: KIND, ...(field ? { field } : {}) });
  const say = (field: string | undefined, message: string) => problems.add(where(field), `Decision "${decisionId}": ${message}`);

  const hitPolicy = (table.hitPolicy ?? 'UNIQUE') as HitPolicy;
  if (!HIT_POLICIES.includes(hitPolicy)) say('hitPolicy', `unknown hit policy "${table.hitPolicy}" (${HIT_POLICIES.join(', ')})`);
  const aggregation = table.aggregation as Aggregation | undefined;
  if (aggregation !== undefined) {
    if (!AGGREGATIONS.includes(aggregation)) say('aggregation', `unknown aggregation "${aggregation}" (${AGGREGATIONS.join(', ')})`);
    else if (hitPolicy !== 'COLLECT') say('aggregation', `an aggregation (${aggregation}) needs the hit policy COLLECT, not ${hitPolicy}`);
  }

  const inputs = (table.input ?? []).map((node, i) => compileInput(node, i, say));
  const outputs = (table.output ?? []).map((node, i) => compileOutput(node, i, say));
  if (outputs.length === 0) say(undefined, 'the decision table has no output');
  if (outputs.length > 1) {
    const seen = new Set<string>();
    for (const output of outputs) {
      if (!output.name) say(`output:${output.id}`, `output ${describeOutput(output)} needs a name: a table with several outputs gives each result under its output's name`);
      else if (seen.has(output.name)) say(`output:${output.id}`, `two outputs are named "${output.name}"`);
      else seen.add(output.name);
    }
    if (aggregation && hitPolicy === 'COLLECT') say('aggregation', `COLLECT ${aggregation} aggregates one output, but the table has ${outputs.length}`);
  }
  if (hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') readPriorities(table.output ?? [], outputs, hitPolicy, say);

  const rules = (table.rule ?? []).map((node, i) => compileRule(node, i + 1, inputs, outputs, say));
  if (problems.list.length > before) return undefined;
  const logic: DecisionTableLogic = { type: 'decisionTable', hitPolicy, inputs, outputs, rules };
  if (aggregation) logic.aggregation = aggregation;
  if (table.id) logic.id = table.id;
  return logic;
}

type Say = (field: string | undefined, message: string) => void;

function compileInput(node: DmnInputClause, index: number, say: Say): DecisionInput {
  const input: DecisionInput = { id: node.id ?? `input-${index + 1}`, expression: '' };
  if (node.label) input.label = node.label;
  const field = `input:${input.id}`;
  const text = feelText(node.inputExpression, `the input expression of input ${describeInput(input)}`, (message) => say(field, message));
  if (text === undefined) return input;
  input.expression = text;
  if (text === '') say(field, `input ${describeInput(input)} has no input expression: say which value the rules test (e.g. a variable name)`);
  else {
    const error = feelSyntaxError(text);
    if (error) say(field, `the input expression of input ${describeInput(input)} is not valid FEEL: ${error}`);
  }
  return input;
}

function compileOutput(node: DmnOutputClause, index: number, say: Say): DecisionOutput {
  const output: DecisionOutput = { id: node.id ?? `output-${index + 1}` };
  if (node.name?.trim()) output.name = node.name.trim();
  if (node.label) output.label = node.label;
  const field = `output:${output.id}`;
  if (node.defaultOutputEntry) {
    const text = feelText(node.defaultOutputEntry, `the default of output ${describeOutput(output)}`, (message) => say(field, message));
    if (text) {
      const error = feelSyntaxError(text);
      if (error) say(field, `the default of output ${describeOutput(output)} is not valid FEEL: ${error}`);
      else output.defaultValue = text;
    }
  }
  return output;
}

/** PRIORITY and OUTPUT ORDER sort by the outputs' values lists: at least one output must have one. */
function readPriorities(nodes: DmnOutputClause[], outputs: DecisionOutput[], hitPolicy: HitPolicy, say: Say): void {
  outputs.forEach((output, i) => {
    const text = nodes[i].outputValues?.text?.trim();
    if (!text) return;
    const values = parseOutputValues(text);
    if ('error' in values) say(`output:${output.id}`, `the output values of output ${describeOutput(output)} (the ${hitPolicy} order) ${values.error}`);
    else output.priorities = values.values;
  });
  if (outputs.length > 0 && outputs.every((o) => o.priorities === undefined)) {
    say('hitPolicy', `hit policy ${hitPolicy} orders the matches by the outputs' values lists, highest priority first, but no output has one (set "Output values" on an output, e.g. "high","medium","low")`);
  }
}

function compileRule(node: DmnRule, index: number, inputs: DecisionInput[], outputs: DecisionOutput[], say: Say): DecisionRule {
  const rule: DecisionRule = { id: node.id ?? `rule-${index}`, index, inputEntries: [], outputEntries: [] };
  const field = `rule:${rule.id}`;
  const inputEntries = node.inputEntry ?? [];
  const outputEntries = node.outputEntry ?? [];
  if (inputEntries.length !== inputs.length) say(field, `${describeRule(rule)} has ${inputEntries.length} input entries for ${inputs.length} inputs`);
  if (outputEntries.length !== outputs.length) say(field, `${describeRule(rule)} has ${outputEntries.length} output entries for ${outputs.length} outputs`);
  inputEntries.forEach((entry, i) => {
    const input = inputs[i];
    const cell = input ? `${field}/input:${input.id}` : field;
    const what = `${describeRule(rule)}, input ${input ? describeInput(input) : i + 1}`;
    const text = feelText(entry, what, (message) => say(cell, message)) ?? '';
    const tests = text === '' ? '-' : text;
    const error = tests === '-' ? undefined : unaryTestsSyntaxError(tests);
    if (error) say(cell, `${what}: "${tests}" is not a valid FEEL unary test: ${error}`);
    rule.inputEntries.push(tests);
  });
  outputEntries.forEach((entry, i) => {
    const output = outputs[i];
    const cell = output ? `${field}/output:${output.id}` : field;
    const what = `${describeRule(rule)}, output ${output ? describeOutput(output) : i + 1}`;
    const text = feelText(entry, what, (message) => say(cell, message)) ?? '';
    const error = text === '' ? undefined : feelSyntaxError(text);
    if (error) say(cell, `${what}: "${text}" is not valid FEEL: ${error}`);
    rule.outputEntries.push(text === '' ? null : text);
  });
  return rule;
}
