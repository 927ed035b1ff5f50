/**
 * What an agent definition's FEEL conditions may read.
 *
 * Facts from the engine and facts from the model live in separate
 * namespaces that nothing the model says can replace: a tool condition
 * (`tools.N.when`) sees `variables` (the task's process variables) and
 * `args` (the model's arguments); an output policy (`policies.N.when`) sees
 * `variables`, `output` (the proposed output) and `confidence` (the number
 * the engine read from the output's confidence field, or null — the value
 * the threshold is compared with). Nothing is spread at the top level, so a
 * model argument or an output field named `variables` is just
 * `args.variables` / `output.variables`.
 *
 * A bare name (`amount`) could mean either side, so a definition whose
 * condition reads one is refused at deploy, with the fix: `args.amount` or
 * `variables.amount`.
 */
import { freeNames } from '../../engine/model/feel-names.js';

export interface ConditionScope {
  /** The top-level names the condition may read. */
  names: readonly string[];
  /** The namespace holding what the model produced, and what it is called. */
  modelName: 'args' | 'output';
  modelWhat: string;
}

export const TOOL_CONDITION_SCOPE: ConditionScope = { names: ['variables', 'args'], modelName: 'args', modelWhat: 'a model argument' };
export const POLICY_SCOPE: ConditionScope = { names: ['variables', 'output', 'confidence'], modelName: 'output', modelWhat: 'an output field' };

export function toolConditionContext(args: Record<string, unknown>, variables: Record<string, unknown>): Record<string, unknown> {
  return { variables, args };
}

export function policyContext(output: Record<string, unknown>, variables: Record<string, unknown>, confidence: number | null): Record<string, unknown> {
  return { variables, output, confidence };
}

/** Why the condition may not be deployed (messages without the field), empty when it reads only its scope's namespaces. */
export function conditionProblems(expression: string, scope: ConditionScope): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const read of freeNames(expression)) {
    const key = `${read.name}|${read.inFilter}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (read.inFilter) {
      problems.push(
        `reads '${read.name}' inside a filter's brackets, where the fields of each list item stand in for every name (an item field named '${read.name}' would be read instead); read only item.x inside the brackets, or test the items with some x in … satisfies …`,
      );
    } else if (!scope.names.includes(read.name)) {
      problems.push(
        `reads the bare name '${read.name}', which could be ${scope.modelWhat} or a process variable; write ${scope.modelName}.${read.name} or variables.${read.name} (the condition sees ${scope.names.join(', ')})`,
      );
    }
  }
  return problems;
}

/** The task's variables as the prompt and the conditions see them: the job's, without the engine's ad-hoc bookkeeping. */
export function processVariables(jobVariables: Record<string, unknown>): Record<string, unknown> {
  const { weftAdHoc: _, ...rest } = jobVariables;
  return rest;
}
