/**
 * Telling what Weft cannot run yet. Every unsupported element is reported
 * (never just the first), naming its id and its BPMN kind as written.
 */
import type { FlowNode } from '../moddle.js';
import type { TransformContext } from './context.js';
import { at } from './zeebe-properties.js';
import { IGNORED_FLOW_ELEMENTS } from '../supported-elements.js';

/** Flow elements that carry no behaviour: compiled to nothing, without a problem. */
export const IGNORED_TYPES: ReadonlySet<string> = new Set(IGNORED_FLOW_ELEMENTS);

/** Reports `node` as unsupported; `detail` says which variant, e.g. its event definition. */
export function reportUnsupported(node: FlowNode, ctx: TransformContext, detail?: string): undefined {
  ctx.unsupported.add(node.id);
  const variant = detail ? ` (${detail})` : '';
  ctx.problems.add(at(node), `${node.$type} "${node.id}"${variant} is not supported by Weft yet`);
  return undefined;
}

/** The event definitions of an event, as written, e.g. `bpmn:TimerEventDefinition`. */
export function eventDefinitionTypes(node: FlowNode): string[] {
  return (node.eventDefinitions ?? []).map((d) => d.$type);
}
