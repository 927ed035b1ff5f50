/** Embedded sub-processes: a container compiled like the process itself. Event sub-processes are not supported. */
import type { SubProcessElement } from '../types.js';
import type { Container } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { reportUnsupported } from './unsupported.js';

export const subProcess: Transformer = (node, parent, ctx) => {
  const container = node as Container;
  if (container.triggeredByEvent) return reportUnsupported(node, ctx, 'event sub-process');
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
