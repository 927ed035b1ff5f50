/** Service and send tasks: a job of `zeebe:taskDefinition type` for an external worker or connector. */
import type { SendTaskElement, ServiceTaskElement } from '../types.js';
import { baseProps, type Transformer } from './context.js';
import { jobDefinition } from './job-definition.js';

export const serviceTask: Transformer = (node, parent, ctx) => {
  const element: ServiceTaskElement = { kind: 'serviceTask', ...baseProps(node, parent, ctx), ...jobDefinition(node, ctx.problems, 'Service task') };
  return element;
};

export const sendTask: Transformer = (node, parent, ctx) => {
  const element: SendTaskElement = { kind: 'sendTask', ...baseProps(node, parent, ctx), ...jobDefinition(node, ctx.problems, 'Send task') };
  return element;
};
