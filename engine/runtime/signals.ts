/**
 * Throwing a signal inside a step: its name is evaluated, this instance's
 * own waiting catchers get it at once (in the order they subscribed), and a
 * BROADCAST_SIGNAL effect carries it to every other instance and to the
 * signal start events — written with the step, delivered after its commit.
 * The signal's variables are the throw event's local ones (its input
 * mappings), as in Camunda 8.
 */
import type { SignalDefinition } from '../model/types.js';
import type { ElementInstance } from './types.js';
import type { Run } from './run.js';
import { resolveValue } from './feel.js';
import { deliverSignal } from './waits/dispatch.js';
import { MAX_MESSAGE_TEXT_BYTES, utf8Length } from './waits/waits.js';

export function broadcastSignal(run: Run, signal: SignalDefinition, thrower: ElementInstance): 'interrupted' | 'thrown' | 'failed' {
  const name = resolveValue(signal.name, run.variablesFor(thrower), run.ctx.now);
  const tooLong = name.ok && typeof name.value === 'string' && utf8Length(name.value) > MAX_MESSAGE_TEXT_BYTES;
  if (!name.ok || typeof name.value !== 'string' || name.value === '' || tooLong) {
    const message = tooLong ? `Signal name is longer than ${MAX_MESSAGE_TEXT_BYTES} bytes` : name.ok ? `Signal name must be a non-empty string, got ${JSON.stringify(name.value)}` : name.message;
    run.openIncident(thrower, { type: 'EXPRESSION_FAILED', message: `Signal of '${thrower.elementId}': ${message}`, retry: 'activate' });
    return 'failed';
  }
  const signalKey = run.ctx.newId();
  const variables = { ...(thrower.variables ?? {}) };
  run.audit('SIGNAL_BROADCAST', thrower, { signalName: name.value, signalKey, variables });
  run.emit({ type: 'BROADCAST_SIGNAL', signalKey, name: name.value, variables });
  deliverSignal(run, name.value, signalKey, variables);
  return run.state.elements[thrower.key] === thrower ? 'thrown' : 'interrupted';
}
