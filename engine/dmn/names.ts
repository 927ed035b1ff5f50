/** How problems and failures name the parts of a decision table: as a person reads the table. */
import type { DecisionInput, DecisionOutput, DecisionRule } from './types.js';

/** `rule 2 ("gold-small")`: the row, and the id the XML gives it. */
export function describeRule(rule: Pick<DecisionRule, 'id' | 'index'>): string {
  return `rule ${rule.index} ("${rule.id}")`;
}

/** `"Customer status" (customer.status)`: its label, else its expression, else its id. */
export function describeInput(input: DecisionInput): string {
  if (input.label && input.expression) return `"${input.label}" (${input.expression})`;
  return `"${input.label || input.expression || input.id}"`;
}

export function describeOutput(output: DecisionOutput): string {
  return `"${output.name || output.label || output.id}"`;
}
