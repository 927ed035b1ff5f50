/** None start events, none end events and terminate end events. */
import type { EndEventElement, StartEventElement, TerminateEndEventElement } from '../types.js';
import { baseProps, type Transformer } from './context.js';
import { eventDefinitionTypes, reportUnsupported } from './unsupported.js';

export const startEvent: Transformer = (node, parent, ctx) => {
  const definitions = eventDefinitionTypes(node);
  if (definitions.length > 0) return reportUnsupported(node, ctx, definitions.join(', '));
  const element: StartEventElement = { kind: 'startEvent', ...baseProps(node, parent, ctx) };
  return element;
};

export const endEvent: Transformer = (node, parent, ctx) => {
  const definitions = eventDefinitionTypes(node);
  if (definitions.length === 0) {
    const element: EndEventElement = { kind: 'endEvent', ...baseProps(node, parent, ctx) };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:TerminateEventDefinition') {
    const element: TerminateEndEventElement = { kind: 'terminateEndEvent', ...baseProps(node, parent, ctx) };
    return element;
  }
  return reportUnsupported(node, ctx, definitions.join(', '));
};
