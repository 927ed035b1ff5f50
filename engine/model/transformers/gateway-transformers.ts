/**
 * Exclusive, parallel and inclusive gateways. Rules that need the flows
 * (default flow, conditions) are checked in validate.ts; inclusive
 * `upstream` sets are filled in by inclusive-upstream.ts.
 */
import type { EventBasedGatewayElement, ExclusiveGatewayElement, InclusiveGatewayElement, ParallelGatewayElement } from '../types.js';
import { baseProps, type Transformer } from './context.js';

export const exclusiveGateway: Transformer = (node, parent, ctx) => {
  const element: ExclusiveGatewayElement = { kind: 'exclusiveGateway', ...baseProps(node, parent, ctx) };
  if (node.default?.id) element.defaultFlow = node.default.id;
  return element;
};

export const inclusiveGateway: Transformer = (node, parent, ctx) => {
  const element: InclusiveGatewayElement = { kind: 'inclusiveGateway', ...baseProps(node, parent, ctx), upstream: {} };
  if (node.default?.id) element.defaultFlow = node.default.id;
  return element;
};

export const parallelGateway: Transformer = (node, parent, ctx) => {
  const element: ParallelGatewayElement = { kind: 'parallelGateway', ...baseProps(node, parent, ctx) };
  return element;
};

/** Event-based gateway; what may follow it is checked in validate.ts. */
export const eventBasedGateway: Transformer = (node, parent, ctx) => {
  const element: EventBasedGatewayElement = { kind: 'eventBasedGateway', ...baseProps(node, parent, ctx) };
  return element;
};
