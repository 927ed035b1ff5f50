/**
 * Compiles the contents of a container (a process or an embedded
 * sub-process): every flow node through its transformer, then the sequence
 * flows, then the container's own rule of exactly one none start event.
 */
import type { ContainerProps } from './types.js';
import type { Container, FlowNode, SequenceFlowNode } from './moddle.js';
import { transformers, type TransformContext, type Transformer } from './transformers/index.js';
import { transformSequenceFlow } from './transformers/sequence-flow-transformer.js';
import { eventDefinitionTypes, IGNORED_TYPES, reportUnsupported } from './transformers/unsupported.js';
import { readLoop } from './transformers/loop-transformer.js';

export function transformContainer(container: Container, target: ContainerProps, ctx: TransformContext): void {
  const nodes = container.flowElements ?? [];
  for (const node of nodes as FlowNode[]) {
    if (IGNORED_TYPES.has(node.$type)) continue;
    if (node.$type === 'bpmn:SequenceFlow') continue;
    if (!node.id) {
      ctx.problems.add({ elementKind: node.$type, field: 'id' }, `A ${node.$type} in "${container.id}" has no id`);
      continue;
    }
    const transformer = (transformers as Readonly<Record<string, Transformer | undefined>>)[node.$type];
    const element = transformer
      ? transformer(node, container.id, ctx)
      : reportUnsupported(node, ctx, eventDefinitionTypes(node).join(', ') || undefined);
    if (!element) {
      ctx.unsupported.add(node.id);
      continue;
    }
    const loop = readLoop(node, ctx);
    if (loop) element.loop = loop;
    if ((node as { isForCompensation?: boolean }).isForCompensation) element.forCompensation = true;
    // An activity's default flow (gateways read theirs in their transformers).
    if (node.default?.id && element.defaultFlow === undefined && !element.kind.endsWith('Gateway')) element.defaultFlow = node.default.id;
    ctx.elements[element.id] = element;
    target.children.push(element.id);
  }
  for (const flow of nodes) {
    if (flow.$type === 'bpmn:SequenceFlow') transformSequenceFlow(flow as SequenceFlowNode, container.id, ctx);
  }
  // An ad-hoc sub-process has no start: its activities are chosen one by one (see ad-hoc-sub-process-transformer.ts).
  if (container.$type === 'bpmn:AdHocSubProcess') target.startEventId = '';
  else if (container.triggeredByEvent) target.startEventId = eventStart(container, target.children, ctx);
  else target.startEventId = noneStartEvent(container, target.children, ctx);
}

const EVENT_STARTS = new Set(['timerStartEvent', 'messageStartEvent', 'signalStartEvent', 'errorStartEvent', 'escalationStartEvent']);

/** An event sub-process starts at its one start event, the one that says what starts it. */
function eventStart(container: Container, children: string[], ctx: TransformContext): string {
  const starts = children.filter((id) => EVENT_STARTS.has(ctx.elements[id].kind));
  if (starts.length > 1) {
    ctx.problems.add({ elementId: container.id, elementKind: container.$type }, `Event sub-process "${container.id}" has ${starts.length} start events (${starts.join(', ')}); it needs exactly one`);
  }
  return starts[0] ?? '';
}

function noneStartEvent(container: Container, children: string[], ctx: TransformContext): string {
  const starts = children.filter((id) => ctx.elements[id].kind === 'startEvent');
  const where = { elementId: container.id, elementKind: container.$type };
  const what = container.$type === 'bpmn:Process' ? 'Process' : 'Sub-process';
  // A process may be started only by its timer or message start events.
  const eventStarts = children.filter((id) => ['timerStartEvent', 'messageStartEvent', 'signalStartEvent'].includes(ctx.elements[id].kind));
  if (starts.length === 0 && eventStarts.length > 0) return '';
  if (starts.length === 0) {
    // A start event refused already (a timer start, one without an id) is the cause; "no start" would be its echo.
    const refused = (container.flowElements ?? []).some((node) => node.$type === 'bpmn:StartEvent' && (!node.id || ctx.unsupported.has(node.id)));
    if (!refused) ctx.problems.add(where, `${what} "${container.id}" has no none start event`);
    return '';
  }
  if (starts.length > 1) {
    ctx.problems.add(where, `${what} "${container.id}" has ${starts.length} none start events (${starts.join(', ')}); it needs exactly one`);
  }
  return starts[0];
}
