import type { Behaviour } from './behaviour.js';
import { recordArrival, takeArrivals } from './joins.js';

/**
 * Parallel gateway: joins wait for a token on every incoming flow, then fork
 * a token onto every outgoing flow (conditions are ignored, as in BPMN).
 */
export const parallelGatewayBehaviour: Behaviour<'parallelGateway'> = {
  arrive(run, element, scope, flowId) {
    if (element.incoming.length <= 1 || !flowId) return void run.activateElement(element, scope, flowId);
    const arrivals = recordArrival(scope, element.id, flowId);
    if (element.incoming.every((f) => (arrivals[f] ?? 0) > 0)) {
      takeArrivals(scope, element.id, element.incoming);
      run.activateElement(element, scope);
    }
  },
  activate(run, element, instance) {
    run.complete(instance, { flows: element.outgoing });
  },
};
