/** Service tasks: a job of `zeebe:taskDefinition type` for an external worker or connector. */
import type { ModdleElement } from 'bpmn-moddle';
import type { ServiceTaskElement, ValueOrExpression } from '../types.js';
import { extension } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { at, taskHeaders, valueOrExpression } from './zeebe-properties.js';

interface TaskDefinition extends ModdleElement {
  type?: string;
  retries?: string;
}

const DEFAULT_RETRIES = '3';

export const serviceTask: Transformer = (node, parent, ctx) => {
  const { problems } = ctx;
  const definition = extension<TaskDefinition>(node, 'zeebe:TaskDefinition');
  const type = definition?.type?.trim();
  let jobType: ValueOrExpression = { value: '' };
  if (type) jobType = valueOrExpression(type, at(node, 'zeebe:taskDefinition.type'), problems);
  else problems.add(at(node, 'zeebe:taskDefinition.type'), `Service task "${node.id}" needs a job type (zeebe:taskDefinition type)`);

  const rawRetries = definition?.retries?.trim() || DEFAULT_RETRIES;
  const retries = valueOrExpression(rawRetries, at(node, 'zeebe:taskDefinition.retries'), problems);
  if ('value' in retries && !/^\d+$/.test(retries.value)) {
    problems.add(at(node, 'zeebe:taskDefinition.retries'), `Retries must be a non-negative integer or a FEEL expression, got "${retries.value}"`);
  }

  const element: ServiceTaskElement = {
    kind: 'serviceTask',
    ...baseProps(node, parent, ctx),
    jobType,
    retries,
    headers: taskHeaders(node, problems),
  };
  return element;
};
