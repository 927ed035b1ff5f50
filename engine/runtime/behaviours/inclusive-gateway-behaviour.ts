import type { Behaviour } from './behaviour.js';
import { recordArrival, takeArrivals } from './joins.js';

/**
 * Inclusive gateway.
 *
 * Fork: every outgoing flow whose condition holds (and every unconditional
 * one); none → the default flow; no default → incident.
 *
 * Join: fires when the engine is idle and no token left in the scope can still
 * reach an incoming flow that has no arrival yet. "Can still reach" is set
 * membership in the compile-time `upstream` sets: a live element instance, or
 * arrivals waiting at another gateway, upstream of that flow.
 */
export const inclusiveGatewayBehaviour: Behaviour<'inclusiveGateway'> = {
  arrive(run, element, scope, flowId) {
    if (element.incoming.length <= 1 || !flowId) return void run.activateElement(element, scope, flowId);
    recordArrival(scope, element.id, flowId);
  },

  idle(run, element, scope) {
    const arrivals = scope.joins?.[element.id];
    if (!arrivals) return false;
    const live = new Set(run.children(scope.key).map((c) => c.elementId));
    for (const [gatewayId, waiting] of Object.entries(scope.joins ?? {})) {
      if (gatewayId !== element.id && Object.keys(waiting).length > 0) live.add(gatewayId);
    }
    for (const flowId of element.incoming) {
      if (arrivals[flowId]) continue;
      if ((element.upstream[flowId] ?? []).some((id) => live.has(id))) return false;
    }
    takeArrivals(scope, element.id, element.incoming);
    run.activateElement(element, scope);
    return true;
  },

  activate(run, element, instance) {
    const taken: string[] = [];
    for (const flowId of element.outgoing) {
      if (flowId === element.defaultFlow) continue;
      const holds = run.evaluateCondition(instance, flowId);
      if (holds === null) return;
      if (holds) taken.push(flowId);
    }
    if (taken.length === 0 && element.defaultFlow) taken.push(element.defaultFlow);
    if (taken.length === 0 && element.outgoing.length > 0) {
      run.openIncident(instance, {
        type: 'CONDITION_FAILED',
        message: `No outgoing sequence flow of inclusive gateway '${element.id}' has a condition that holds, and there is no default flow`,
        retry: 'activate',
      });
      return;
    }
    run.complete(instance, { flows: taken });
  },
};
