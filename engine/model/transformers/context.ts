/**
 * What every transformer receives and shares: the problem collector, the
 * elements and flows compiled so far for the current process, and a way to
 * compile a nested container (passed in, so sub-processes need no import cycle).
 */
import type { ContainerProps, ElementBase, FlowElement, SequenceFlow } from '../types.js';
import type { Container, FlowNode } from '../moddle.js';
import type { Problems } from '../problems.js';
import { ioMappings } from './zeebe-properties.js';

export interface TransformContext {
  problems: Problems;
  elements: Record<string, FlowElement>;
  flows: Record<string, SequenceFlow>;
  /**
   * Ids of flow nodes not compiled because a problem was reported, and of the
   * sequence flows left out because they touch one. The problem already
   * reported is the cause: nothing derived from these ids (a flow "to
   * nowhere", a default flow missing from its gateway, a boundary event
   * without its activity, a container without its start) is reported again.
   */
  unsupported: Set<string>;
  /** Compiles the flow nodes and flows of a container into `target` (children, start event). */
  transformContainer(container: Container, target: ContainerProps, ctx: TransformContext): void;
}

/** Compiles one flow node, or reports why it cannot and returns `undefined`. */
export type Transformer = (node: FlowNode, parent: string, ctx: TransformContext) => FlowElement | undefined;

export type BaseProps = ElementBase;

/** The properties every element has. Flows are linked later, by the sequence-flow transformer. */
export function baseProps(node: FlowNode, parent: string, ctx: TransformContext): BaseProps {
  const base: BaseProps = { id: node.id, parent, incoming: [], outgoing: [], inputs: [], outputs: [] };
  if (node.name !== undefined) base.name = node.name;
  const { inputs, outputs } = ioMappings(node, ctx.problems);
  base.inputs = inputs;
  base.outputs = outputs;
  return base;
}
