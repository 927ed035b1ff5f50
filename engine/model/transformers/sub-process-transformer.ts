/**
 * Embedded sub-processes (a container compiled like the process itself) and
 * event sub-processes (`triggeredByEvent`: started by their one start event
 * while the enclosing scope is active, never by a flow).
 */
import type { EventSubProcessElement, SubProcessElement, TransactionElement } from '../types.js';
import type { Container } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { at } from './zeebe-properties.js';

export const subProcess: Transformer = (node, parent, ctx) => {
  const container = node as Container;
  if (container.triggeredByEvent) return eventSubProcess(node, parent, ctx);
  const element: SubProcessElement = {
    kind: 'subProcess',
    ...baseProps(node, parent, ctx),
    // Filled in by transformContainer.
    startEventId: '',
    children: [],
  };
  // Register before the children, so elements come out parent-first.
  ctx.elements[element.id] = element;
  ctx.transformContainer(container, element, ctx);
  return element;
};

const eventSubProcess: Transformer = (node, parent, ctx) => {
  const container = node as Container;
  const element: EventSubProcessElement = { kind: 'eventSubProcess', ...baseProps(node, parent, ctx), startEventId: '', children: [], interrupting: true };
  ctx.elements[element.id] = element;
  ctx.transformContainer(container, element, ctx);
  const start = element.startEventId ? ctx.elements[element.startEventId] : undefined;
  if (start && 'interrupting' in start && start.interrupting === false) element.interrupting = false;
  // A start event that is reported already (unsupported, or broken) is the real cause: say nothing more.
  const startsReported = (container.flowElements ?? []).some((e) => e.$type === 'bpmn:StartEvent' && (ctx.unsupported.has((e as { id: string }).id) || ctx.problems.list.some((p) => p.elementId === (e as { id: string }).id)));
  if (!start && !startsReported) {
    ctx.problems.add(at(node), `Event sub-process "${node.id}" needs exactly one start event with a timer, message, error or escalation`);
  }
  return element;
};

/** A transaction: compiled as a sub-process; its cancel end events and cancel boundary event give it its meaning. */
export const transaction: Transformer = (node, parent, ctx) => {
  const element: TransactionElement = { kind: 'transaction', ...baseProps(node, parent, ctx), startEventId: '', children: [] };
  ctx.elements[element.id] = element;
  ctx.transformContainer(node as Container, element, ctx);
  return element;
};
