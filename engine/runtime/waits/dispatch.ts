/**
 * What happens when a wait fires: the owner decides when it waits on behalf
 * of the catching element (an event-based gateway, for the events after it),
 * else the catching element does (a catch event, a receive task, a boundary
 * event of the owner, an event sub-process's start event in the owner's
 * scope). Shared by the commands that fire waits (step.ts) and by a signal
 * delivered within the step that threw it.
 */
import type { Variables, WaitRecord } from '../types.js';
import type { Run } from '../run.js';
import { takeWait } from './waits.js';

/** The trigger of `wait`, or null when its owner is no longer active. */
export function waitTrigger(run: Run, wait: WaitRecord): ((variables: Variables) => void) | null {
  const owner = run.state.elements[wait.elementInstanceKey];
  if (!owner || owner.state !== 'ACTIVE') return null;
  const ownerElement = run.element(owner.elementId);
  const ownerBehaviour = run.behaviourFor(owner);
  if (owner.elementId !== wait.elementId && ownerBehaviour.waitTriggered) {
    return (variables) => ownerBehaviour.waitTriggered!(run, ownerElement, owner, wait, variables);
  }
  const element = run.element(wait.elementId);
  const behaviour = run.behaviourOf(element);
  if (!behaviour.triggered) throw new Error(`Element ${element.id} (${element.kind}) opened a wait but cannot be triggered`);
  return (variables) => behaviour.triggered!(run, element, owner, wait, variables);
}

/**
 * Delivers a broadcast signal to every open signal subscription of the
 * instance for `name`, in the order they were opened. Those open when the
 * signal arrives get it (a catcher opened by an earlier one's path does not);
 * one closed by an earlier one (an interrupting boundary ends its siblings)
 * does not. Returns how many got it.
 */
export function deliverSignal(run: Run, name: string, signalKey: string, variables: Variables): number {
  const waiting = run.index.findWaits((w) => w.type === 'signal' && w.signalName === name);
  let delivered = 0;
  for (const wait of waiting) {
    if (!run.state.waits?.[wait.id]) continue;
    const trigger = waitTrigger(run, wait);
    if (!trigger) continue;
    // A non-interrupting boundary or event sub-process start stays subscribed, as for messages.
    if (wait.interrupting !== false) takeWait(run, wait);
    run.audit('SIGNAL_RECEIVED', run.state.elements[wait.elementInstanceKey], { signalName: name, signalKey, catchElementId: wait.elementId, variables });
    trigger(variables);
    delivered++;
  }
  return delivered;
}
