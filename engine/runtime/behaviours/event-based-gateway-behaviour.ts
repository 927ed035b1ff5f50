import type { Behaviour } from './behaviour.js';
import type { PreparedWait } from '../waits/waits.js';
import { openWait, prepareMessage, prepareSignal, prepareTimer } from '../waits/waits.js';

/**
 * Event-based gateway: the token waits here for whichever of the events
 * after it happens first. The gateway opens their waits itself (all
 * evaluated first, so a failure opens nothing); the first to fire wins: the
 * gateway completes along that flow — withdrawing the other waits in the
 * same step — and the winning catch event passes at once with the event's
 * variables.
 */
export const eventBasedGatewayBehaviour: Behaviour<'eventBasedGateway'> = {
  activate(run, element, instance) {
    // Several flows may lead to the same event: it is waited for once.
    const targets = [...new Set(element.outgoing.map((flowId) => run.definition.flows[flowId].targetRef))];
    const prepared: PreparedWait[] = targets.map((targetId) => {
      const target = run.element(targetId);
      if (target.kind === 'timerCatchEvent') return prepareTimer(run, target.timer, target.id, instance);
      if (target.kind === 'messageCatchEvent') return prepareMessage(run, target.message, target.id, instance);
      if (target.kind === 'signalCatchEvent') return prepareSignal(run, target.signal, target.id, instance);
      throw new Error(`Event-based gateway ${element.id} leads to ${target.kind} ${target.id}; the compiler allows only catch events`);
    });
    const failed = prepared.find((p) => !p.ok);
    if (failed && !failed.ok) {
      run.openIncident(instance, { type: 'EXPRESSION_FAILED', message: failed.message, retry: 'activate' });
      return;
    }
    for (const p of prepared) if (p.ok) openWait(run, p.wait);
  },
  waitTriggered(run, element, instance, wait, variables) {
    const flowId = element.outgoing.find((id) => run.definition.flows[id].targetRef === wait.elementId)!;
    run.happenedBeforeArrival(wait.elementId, instance.scopeKey!, variables);
    run.complete(instance, { flows: [flowId] });
  },
};
