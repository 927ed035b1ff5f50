import type { ElementInstance } from '../types.js';

/** Arrivals at a joining gateway are counted on its scope, per incoming flow. */
export function recordArrival(scope: ElementInstance, gatewayId: string, flowId: string): Record<string, number> {
  scope.joins ??= {};
  const arrivals = (scope.joins[gatewayId] ??= {});
  arrivals[flowId] = (arrivals[flowId] ?? 0) + 1;
  return arrivals;
}

/** Consumes one arrival from each of `flows` that has one. */
export function takeArrivals(scope: ElementInstance, gatewayId: string, flows: string[]): void {
  const arrivals = scope.joins?.[gatewayId];
  if (!arrivals) return;
  for (const flowId of flows) {
    if (!arrivals[flowId]) continue;
    arrivals[flowId] -= 1;
    if (arrivals[flowId] === 0) delete arrivals[flowId];
  }
  if (Object.keys(arrivals).length === 0) delete scope.joins![gatewayId];
  if (Object.keys(scope.joins!).length === 0) delete scope.joins;
}
