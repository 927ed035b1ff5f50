/**
 * Business rule tasks: a DMN decision the engine evaluates
 * (`zeebe:calledDecision decisionId resultVariable`, bindingType), or a job
 * for a worker (`zeebe:taskDefinition`), as Camunda 8 allows; one of the two.
 */
import type { BusinessRuleTaskElement } from '../types.js';
import { extension, type ModdleElement } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { jobDefinition } from './job-definition.js';
import { at, readBinding, valueOrExpression } from './zeebe-properties.js';

interface CalledDecision extends ModdleElement {
  decisionId?: string;
  resultVariable?: string;
  bindingType?: string;
  versionTag?: string;
}

export const businessRuleTask: Transformer = (node, parent, ctx) => {
  const { problems } = ctx;
  const called = extension<CalledDecision>(node, 'zeebe:CalledDecision');
  const job = extension(node, 'zeebe:TaskDefinition');
  if (called && job) {
    problems.add(at(node, 'zeebe:calledDecision'), `Business rule task "${node.id}" has both a called decision (zeebe:calledDecision) and a job type (zeebe:taskDefinition); it needs one of them`);
    return undefined;
  }
  if (job) {
    const element: BusinessRuleTaskElement = { kind: 'businessRuleTask', ...baseProps(node, parent, ctx), implementation: 'job', ...jobDefinition(node, problems, 'Business rule task') };
    return element;
  }
  if (!called) {
    problems.add(
      at(node, 'zeebe:calledDecision.decisionId'),
      `Business rule task "${node.id}" needs a DMN decision to evaluate (zeebe:calledDecision decisionId and resultVariable) or a job type for a worker (zeebe:taskDefinition type)`,
    );
    return undefined;
  }
  const raw = called.decisionId?.trim();
  if (!raw) problems.add(at(node, 'zeebe:calledDecision.decisionId'), `Business rule task "${node.id}" needs the id of the decision it evaluates (zeebe:calledDecision decisionId)`);
  const resultVariable = called.resultVariable?.trim() ?? '';
  if (!resultVariable) problems.add(at(node, 'zeebe:calledDecision.resultVariable'), `Business rule task "${node.id}" needs a result variable for the decision's result (zeebe:calledDecision resultVariable)`);
  const binding = readBinding(called, node, 'zeebe:calledDecision.bindingType', 'Business rule task', problems);
  if (!raw || !resultVariable || !binding) return undefined;
  const element: BusinessRuleTaskElement = {
    kind: 'businessRuleTask',
    ...baseProps(node, parent, ctx),
    implementation: 'decision',
    decisionId: valueOrExpression(raw, at(node, 'zeebe:calledDecision.decisionId'), problems),
    resultVariable,
    binding,
  };
  return element;
};
