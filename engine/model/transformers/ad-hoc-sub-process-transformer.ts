/**
 * Ad-hoc sub-processes with an agent attached: `zeebe:taskDefinition type`
 * (default `agent`) and the `agent` task header name the agent that chooses
 * which inner activities to run; a type alone is a job worker that chooses
 * (Camunda 8's job worker implementation, completing with a job result). The activities it may choose are the inner
 * flow nodes without incoming sequence flows. Without an agent there is
 * nobody to choose, so that is a problem.
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { AdHocSubProcessElement, ValueOrExpression } from '../types.js';
import { extension, type Container } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { at, taskHeaders, valueOrExpression } from './zeebe-properties.js';

interface TaskDefinition extends ModdleElement {
  type?: string;
  retries?: string;
}

const NOT_CHOOSABLE = new Set(['startEvent', 'endEvent', 'terminateEndEvent', 'errorBoundaryEvent']);

export const adHocSubProcess: Transformer = (node, parent, ctx) => {
  const { problems } = ctx;
  const definition = extension<TaskDefinition>(node, 'zeebe:TaskDefinition');
  const headers = taskHeaders(node, problems);
  const type = definition?.type?.trim() || (headers.agent ? 'agent' : '');
  let jobType: ValueOrExpression = { value: 'agent' };
  if (type) jobType = valueOrExpression(type, at(node, 'zeebe:taskDefinition.type'), problems);
  else problems.add(at(node, 'zeebe:taskHeaders.agent'), `Ad-hoc sub-process "${node.id}" needs an agent to choose its activities: set the task header 'agent', or zeebe:taskDefinition type for a job worker that chooses them`);
  const retries = valueOrExpression(definition?.retries?.trim() || '3', at(node, 'zeebe:taskDefinition.retries'), problems);

  const element: AdHocSubProcessElement = {
    kind: 'adHocSubProcess',
    ...baseProps(node, parent, ctx),
    startEventId: '',
    children: [],
    activities: [],
    jobType,
    retries,
    headers,
  };
  ctx.elements[element.id] = element;
  ctx.transformContainer(node as Container, element, ctx);
  for (const id of element.children) {
    const child = ctx.elements[id];
    if (child.kind === 'startEvent') problems.add(at(node), `Ad-hoc sub-process "${node.id}" cannot contain a start event ("${id}")`);
    if (child.incoming.length === 0 && !NOT_CHOOSABLE.has(child.kind)) element.activities.push(id);
  }
  // Inner activities refused already are the cause, not an ad-hoc sub-process without any.
  const refused = ((node as Container).flowElements ?? []).some((inner) => inner.id !== undefined && ctx.unsupported.has(inner.id));
  if (element.activities.length === 0 && !refused) problems.add(at(node), `Ad-hoc sub-process "${node.id}" has no activity the agent could choose`);
  return element;
};
