import type { ElementOfKind } from '../../model/types.js';
import type { Command, ElementInstance, Rejection } from '../types.js';
import type { Behaviour } from './behaviour.js';
import type { Run } from '../run.js';
import { resolveValue } from '../feel.js';
import { cancelJob, createJob } from '../jobs.js';

/**
 * Business rule task. With a called decision, it asks for the decision to be
 * evaluated (EVALUATE_DECISION, with the variables it sees) and waits; the
 * command path evaluates the deployed decision in the same transaction and
 * answers with DECISION_EVALUATED (decisionEvaluated below): the task
 * completes with `{ [resultVariable]: result }`, or an incident names the
 * decision and the rule or input that failed (resolving it asks again). With
 * a job type instead, it is a job like a service task's.
 */
export const businessRuleTaskBehaviour: Behaviour<'businessRuleTask'> = {
  activate(run, element, instance) {
    if (element.implementation === 'job') {
      createJob(run, element, instance, run.variablesFor(instance));
      return;
    }
    const variables = run.variablesFor(instance);
    const decisionId = resolveValue(element.decisionId, variables, run.ctx.now);
    if (!decisionId.ok || typeof decisionId.value !== 'string' || decisionId.value === '') {
      const message = decisionId.ok ? `The decision id must be a non-empty string, got ${JSON.stringify(decisionId.value)}` : decisionId.message;
      run.openIncident(instance, { type: 'EXPRESSION_FAILED', message: `Business rule task '${element.id}': ${message}`, retry: 'activate' });
      return;
    }
    instance.decisionId = decisionId.value;
    run.emit({ type: 'EVALUATE_DECISION', elementInstanceKey: instance.key, elementId: element.id, decisionId: decisionId.value, binding: element.binding, variables });
  },
  terminate(run, element, instance) {
    if (element.implementation === 'job') cancelJob(run, instance);
    delete instance.decisionId;
  },
};

type DecisionEvaluated = Extract<Command, { type: 'DECISION_EVALUATED' }>;

/** The answer to EVALUATE_DECISION, for the business rule task still waiting for it. */
export function decisionEvaluated(run: Run, command: DecisionEvaluated): Rejection | void {
  const instance: ElementInstance | undefined = run.state.elements[command.elementInstanceKey];
  if (!instance || instance.state !== 'ACTIVE' || instance.kind !== 'businessRuleTask' || instance.decisionId !== command.decisionId) {
    return { code: 'ELEMENT_NOT_WAITING', message: `Element instance ${command.elementInstanceKey} of instance ${run.state.id} is not waiting for decision '${command.decisionId}'` };
  }
  delete instance.decisionId;
  const element = run.element(instance.elementId) as ElementOfKind<'businessRuleTask'>;
  const { failure } = command;
  run.audit('DECISION_EVALUATED', instance, {
    decisionId: command.decisionId,
    ...(command.decision ? { decisionKey: command.decision.key, version: command.decision.version } : {}),
    ...(failure ? { failure: failure.message } : { result: command.result ?? null }),
    ...(command.evaluatedDecisions ? { evaluatedDecisions: command.evaluatedDecisions } : {}),
  });
  if (failure) {
    const type = failure.notFound ? 'CALLED_DECISION_NOT_FOUND' : 'DECISION_EVALUATION_FAILED';
    run.openIncident(instance, { type, message: `Business rule task '${element.id}': ${failure.message}`, retry: 'activate' });
    return;
  }
  if (element.implementation !== 'decision') throw new Error(`Business rule task ${element.id} evaluates no decision`);
  run.complete(instance, { result: { [element.resultVariable]: command.result ?? null } });
}
