/**
 * Sequence flows: resolved to compiled elements and linked into their
 * `incoming` / `outgoing` lists in document order. A flow must start and end
 * in the container that declares it.
 */
import type { SequenceFlow } from '../types.js';
import type { ModdleElement, SequenceFlowNode } from '../moddle.js';
import type { TransformContext } from './context.js';
import { checkFeel } from './zeebe-properties.js';
import { stripEquals } from '../feel-check.js';

/** The key in `unsupported` that says an element lost an outgoing flow to an unsupported element. */
export function lostOutgoing(elementId: string): string {
  return `${elementId}→`;
}

export function transformSequenceFlow(flow: SequenceFlowNode, containerId: string, ctx: TransformContext): void {
  // Not a copy of `flow`: moddle keeps references in non-enumerable properties.
  const id = flow.id || syntheticId(flow, ctx);
  const where = (field?: string) => ({ elementId: id, elementKind: flow.$type, field });
  const ends = { sourceRef: flow.sourceRef, targetRef: flow.targetRef };
  for (const [field, end] of Object.entries(ends)) {
    if (!end?.id) {
      ctx.problems.add(where(field), `Sequence flow "${id}" leads nowhere: its ${field} does not name an element`);
      return;
    }
  }
  const source = ends.sourceRef as ModdleElement & { id: string };
  const target = ends.targetRef as ModdleElement & { id: string };
  for (const end of [source, target]) {
    if (end.$parent?.id !== containerId) {
      ctx.problems.add(
        where(),
        `Sequence flow "${id}" crosses a sub-process boundary: "${end.id}" is in "${end.$parent?.id}", the flow in "${containerId}"`,
      );
      return;
    }
  }
  const from = ctx.elements[source.id];
  const to = ctx.elements[target.id];
  if (!from || !to) {
    const missing = [source, target].filter((end) => !ctx.elements[end.id]);
    // Unsupported elements are reported already, and so is the flow through them; anything else is not a flow node.
    const notFlowNode = missing.find((end) => !ctx.unsupported.has(end.id));
    if (notFlowNode) ctx.problems.add(where(), `Sequence flow "${id}" leads nowhere: ${notFlowNode.$type} "${notFlowNode.id}" is not a flow node`);
    else {
      ctx.unsupported.add(id);
      // The source's own rules about its outgoing flows (an event-based gateway's count) would be follow-ons too.
      if (from) ctx.unsupported.add(lostOutgoing(from.id));
    }
    return;
  }

  const compiled: SequenceFlow = { id, sourceRef: from.id, targetRef: to.id };
  if (flow.name !== undefined) compiled.name = flow.name;
  const body = flow.conditionExpression?.body?.trim();
  // A parallel gateway takes every outgoing flow; a condition there means nothing.
  if (body && from.kind !== 'parallelGateway') {
    compiled.condition = checkFeel(stripEquals(body), where('conditionExpression'), ctx.problems);
  }
  ctx.flows[id] = compiled;
  from.outgoing.push(id);
  to.incoming.push(id);
}

/**
 * The BPMN schema lets a sequence flow go without an id (Camunda 7 tests do
 * this), but the runtime keys flows by id: derive a stable one from its ends.
 */
function syntheticId(flow: SequenceFlowNode, ctx: TransformContext): string {
  const base = `${flow.sourceRef?.id ?? '?'}->${flow.targetRef?.id ?? '?'}`;
  let id = base;
  for (let n = 2; ctx.flows[id]; n++) id = `${base}#${n}`;
  return id;
}
