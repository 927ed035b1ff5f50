/** Call activities: `zeebe:calledElement` (or BPMN's `calledElement`), its propagation flags and binding. */
import type { CallActivityElement } from '../types.js';
import { extension, type ModdleElement } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { at, readBinding, valueOrExpression } from './zeebe-properties.js';

interface CalledElement extends ModdleElement {
  processId?: string;
  propagateAllChildVariables?: boolean;
  propagateAllParentVariables?: boolean;
  bindingType?: string;
  versionTag?: string;
}

export const callActivity: Transformer = (node, parent, ctx) => {
  const called = extension<CalledElement>(node, 'zeebe:CalledElement');
  const raw = called?.processId?.trim() || (node as { calledElement?: string }).calledElement?.trim();
  if (!raw) {
    ctx.problems.add(at(node, 'zeebe:calledElement.processId'), `Call activity "${node.id}" needs the id of the process it calls (zeebe:calledElement processId)`);
    return undefined;
  }
  const binding = readBinding(called, node, 'zeebe:calledElement.bindingType', 'Call activity', ctx.problems);
  if (!binding) return undefined;
  const element: CallActivityElement = {
    kind: 'callActivity',
    ...baseProps(node, parent, ctx),
    processId: valueOrExpression(raw, at(node, 'zeebe:calledElement.processId'), ctx.problems),
    propagateAllParentVariables: called?.propagateAllParentVariables !== false,
    propagateAllChildVariables: called?.propagateAllChildVariables !== false,
    binding,
  };
  return element;
};
