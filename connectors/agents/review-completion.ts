/**
 * What a person's decision on an agent request must be before its inbox task
 * may complete (the task routes ask every feature's completion check; this
 * is the agents' one). Refused with a 422 naming each field, so the person
 * can correct it where they made it:
 *
 * - `approved` is true or false, `comment` text when given (a typo such as
 *   `approved: "yes"` would otherwise read as a rejection), and nothing else
 *   but, for a review, `output`: any other variable would overwrite what the
 *   engine put in the request (`agentJobKey`, `kind`, the proposal, …);
 * - for an output review approved, the output that will be taken — the
 *   reviewer's `output`, else the proposal — goes through the same checks as
 *   the model's final output: a JSON object, the output schema, and the
 *   policies (a person's approval satisfies `review`; `reject` still
 *   rejects; a policy that cannot be evaluated with it is refused too).
 *
 * The definition, the run and the variables come from the engine's records
 * (the run's journal and its job), not from the review task's variables.
 * The agent run checks again when it takes the decision (agent-run.ts).
 */
import type { Knex } from 'knex';
import { WeftError } from '../../engine/errors.js';
import type { TaskView } from '../../engine/service/types.js';
import { AgentRepository } from './agent-repository.js';
import type { AgentDefinition } from './definition.js';
import { processVariables } from './condition-scope.js';
import { decideOutput, outputProblems } from './governance.js';
import { REVIEW_PROCESS_ID } from './human-review.js';
import { typeName } from './json-schema.js';

export interface FieldProblem {
  path: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function reviewCompletionCheck(db: Knex, clock: () => Date = () => new Date()) {
  const repo = new AgentRepository(db);
  return async (task: TaskView, variables: Record<string, unknown>): Promise<void> => {
    if (task.processId !== REVIEW_PROCESS_ID) return;
    const jobKey = task.variables.agentJobKey;
    const request = typeof jobKey === 'string' && UUID.test(jobKey) ? await repo.requestOf(jobKey, task.processInstanceId) : null;
    // A request no run journaled (started by hand) is taken at its word, and its output checked for shape only.
    const kind = request?.kind ?? (task.variables.kind === 'tool-approval' ? 'approval' : 'review');
    const problems = decisionShapeProblems(variables, kind);
    if (problems.length === 0 && variables.approved === true && kind === 'review') {
      const output = 'output' in variables ? variables.output : task.variables.output;
      const stored = request && (await repo.definitionByKey(request.run.definition_key));
      problems.push(
        ...(stored ? approvedOutputProblems(stored.definition, output, processVariables(request.jobVariables), clock().toISOString()) : outputProblems(undefined, output).map(fieldProblem)),
      );
    }
    if (problems.length > 0) {
      throw new WeftError('VARIABLES_INVALID', `This decision on agent '${String(task.variables.agent)}' cannot be taken: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
    }
  };
}

function decisionShapeProblems(variables: Record<string, unknown>, kind: 'review' | 'approval'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const allowed = kind === 'review' ? ['approved', 'comment', 'output'] : ['approved', 'comment'];
  for (const name of Object.keys(variables)) {
    if (!allowed.includes(name)) problems.push({ path: name, message: `a decision on ${kind === 'review' ? 'an output review' : 'a tool call'} carries ${allowed.join(', ')} only` });
  }
  if (typeof variables.approved !== 'boolean') {
    problems.push({ path: 'approved', message: variables.approved === undefined ? 'is required: true or false' : `must be true or false, got ${typeName(variables.approved)}` });
  }
  if (variables.comment !== undefined && typeof variables.comment !== 'string') problems.push({ path: 'comment', message: `must be text, got ${typeName(variables.comment)}` });
  return problems;
}

/** The output a reviewer approves, checked like the model's: shape, schema, policies (with `review` satisfied). */
export function approvedOutputProblems(definition: AgentDefinition, output: unknown, variables: Record<string, unknown>, now: string): FieldProblem[] {
  const invalid = outputProblems(definition.output, output);
  if (invalid.length > 0) return invalid.map(fieldProblem);
  const decision = decideOutput(definition, output as Record<string, unknown>, variables, now, { reviewed: true });
  if (decision.decision === 'reject') return [{ path: 'output', message: `policies.${decision.policy} rejects this output: ${decision.reason} (error ${decision.errorCode}); correct it or reject the proposal` }];
  if (decision.decision === 'error') return [{ path: 'output', message: `the policies cannot be evaluated with this output: ${decision.reason}` }];
  return [];
}

/** `$.total: must be >= 0` → `{path: 'output.total', message: 'must be >= 0'}`. */
function fieldProblem(error: string): FieldProblem {
  const at = error.indexOf(': ');
  return { path: `output${error.slice(1, at)}`, message: error.slice(at + 2) };
}
