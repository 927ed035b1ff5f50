import type { Behaviour } from './behaviour.js';

/**
 * Exclusive gateway: the first outgoing flow (in document order) whose
 * condition holds, else the default flow, else an incident. Joins pass every
 * arriving token through.
 */
export const exclusiveGatewayBehaviour: Behaviour<'exclusiveGateway'> = {
  activate(run, element, instance) {
    for (const flowId of element.outgoing) {
      if (flowId === element.defaultFlow) continue;
      const holds = run.evaluateCondition(instance, flowId);
      if (holds === null) return;
      if (holds) return run.complete(instance, { flows: [flowId] });
    }
    if (element.defaultFlow) return run.complete(instance, { flows: [element.defaultFlow] });
    if (element.outgoing.length === 0) return run.complete(instance, { flows: [] });
    run.openIncident(instance, {
      type: 'CONDITION_FAILED',
      message: `No outgoing sequence flow of exclusive gateway '${element.id}' has a condition that holds, and there is no default flow`,
      retry: 'activate',
    });
  },
};
