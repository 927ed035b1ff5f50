/**
 * Boundary events. Interrupting error boundary events are executable; any
 * other kind (timer, message, signal, escalation, non-interrupting) is reported
 * as not supported yet.
 */
import type { ErrorBoundaryEventElement } from '../types.js';
import type { ModdleElement } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { eventDefinitionTypes, reportUnsupported } from './unsupported.js';
import { at } from './zeebe-properties.js';

interface BoundaryNode extends ModdleElement {
  id: string;
  attachedToRef?: ModdleElement & { id?: string };
  cancelActivity?: boolean;
  eventDefinitions?: (ModdleElement & { errorRef?: ModdleElement & { id?: string; errorCode?: string } })[];
}

export const boundaryEvent: Transformer = (node, parent, ctx) => {
  const boundary = node as unknown as BoundaryNode;
  const definitions = eventDefinitionTypes(node);
  if (definitions.length !== 1 || definitions[0] !== 'bpmn:ErrorEventDefinition') {
    return reportUnsupported(node, ctx, definitions.join(', ') || 'none boundary event');
  }
  if (boundary.cancelActivity === false) {
    ctx.problems.add(at(node, 'cancelActivity'), `Error boundary event "${node.id}" must be interrupting (an error always ends the activity)`);
    return undefined;
  }
  if (!boundary.attachedToRef?.id) {
    ctx.problems.add(at(node, 'attachedToRef'), `Boundary event "${node.id}" is not attached to an activity`);
    return undefined;
  }
  const element: ErrorBoundaryEventElement = {
    kind: 'errorBoundaryEvent',
    ...baseProps(node, parent, ctx),
    attachedTo: boundary.attachedToRef.id,
  };
  const error = boundary.eventDefinitions![0].errorRef;
  if (error) {
    const code = error.errorCode?.trim();
    if (!code) ctx.problems.add(at(node, 'errorRef'), `The bpmn:Error "${error.id}" caught by "${node.id}" has no errorCode`);
    else if (code.startsWith('=')) ctx.problems.add(at(node, 'errorRef'), `Error code expressions are not supported yet ("${code}" on "${node.id}")`);
    else element.errorCode = code;
  }
  return element;
};
