/**
 * Opening and closing what an instance waits for outside itself — timers and
 * message subscriptions — in one place for every element that waits: catch
 * events, receive tasks, and boundary events (whose waits belong to the
 * activity they are attached to). A wait lives in `state.waits` and, through
 * the effects, in the timers / message_subscriptions tables; it is closed
 * when the element instance that owns it leaves (run.ts calls closeWaits).
 */
import type { MessageDefinition, SignalDefinition, TimerDefinition } from '../../model/types.js';
import type { ElementInstance, Variables, WaitRecord } from '../types.js';
import type { Run } from '../run.js';
import { resolveValue } from '../feel.js';
import { armTimer, nextOccurrence } from './timer-schedule.js';

/**
 * Longest message name, correlation key or message id, in UTF-8 bytes: the
 * three together must fit one Postgres index entry (about 2,700 bytes).
 * Longer is an incident here, and a 400 at publish.
 */
export const MAX_MESSAGE_TEXT_BYTES = 800;

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** A wait ready to open, or why it cannot be (the caller opens an incident). */
export type PreparedWait = { ok: true; wait: WaitRecord } | { ok: false; message: string };

/** Evaluates a timer for `owner` (the waiting element, or a boundary event's host). */
export function prepareTimer(run: Run, timer: TimerDefinition, catcherId: string, owner: ElementInstance, interrupting = true): PreparedWait {
  const armed = armTimer(timer, run.variablesFor(owner), run.ctx.now);
  if (!armed.ok) return { ok: false, message: `Timer of '${catcherId}': ${armed.message}` };
  const wait: WaitRecord = { id: run.ctx.newId(), type: 'timer', elementId: catcherId, elementInstanceKey: owner.key, dueAt: armed.dueAt };
  if (armed.repeat) wait.repeat = armed.repeat;
  if (!interrupting) wait.interrupting = false;
  return { ok: true, wait };
}

/**
 * Evaluates a message's name and correlation key for `owner`. A key must be
 * a string or a number (a number is matched by its decimal text), as in Camunda 8.
 */
export function prepareMessage(run: Run, message: MessageDefinition, catcherId: string, owner: ElementInstance, interrupting = true): PreparedWait {
  const variables = run.variablesFor(owner);
  const name = resolveValue(message.name, variables, run.ctx.now);
  if (!name.ok) return { ok: false, message: `Message name of '${catcherId}': ${name.message}` };
  if (typeof name.value !== 'string' || name.value === '') {
    return { ok: false, message: `Message name of '${catcherId}' must be a non-empty string, got ${JSON.stringify(name.value)}` };
  }
  if (utf8Length(name.value) > MAX_MESSAGE_TEXT_BYTES) return { ok: false, message: `Message name of '${catcherId}' is longer than ${MAX_MESSAGE_TEXT_BYTES} bytes` };
  const wait: WaitRecord = { id: run.ctx.newId(), type: 'message', elementId: catcherId, elementInstanceKey: owner.key, messageName: name.value, correlationKey: '' };
  if (message.correlationKey) {
    const key = resolveValue(message.correlationKey, variables, run.ctx.now);
    if (!key.ok) return { ok: false, message: `Correlation key of '${catcherId}': ${key.message}` };
    if (typeof key.value !== 'string' && typeof key.value !== 'number') {
      return { ok: false, message: `Correlation key of '${catcherId}' must be a string or a number, got ${JSON.stringify(key.value)}` };
    }
    wait.correlationKey = String(key.value);
    if (utf8Length(wait.correlationKey) > MAX_MESSAGE_TEXT_BYTES) return { ok: false, message: `Correlation key of '${catcherId}' is longer than ${MAX_MESSAGE_TEXT_BYTES} bytes` };
  }
  if (!interrupting) wait.interrupting = false;
  return { ok: true, wait };
}

/** Evaluates a signal's name for `owner`. */
export function prepareSignal(run: Run, signal: SignalDefinition, catcherId: string, owner: ElementInstance, interrupting = true): PreparedWait {
  const name = resolveValue(signal.name, run.variablesFor(owner), run.ctx.now);
  if (!name.ok) return { ok: false, message: `Signal name of '${catcherId}': ${name.message}` };
  if (typeof name.value !== 'string' || name.value === '') {
    return { ok: false, message: `Signal name of '${catcherId}' must be a non-empty string, got ${JSON.stringify(name.value)}` };
  }
  // As a message name: it must fit the subscriptions' index (POST /api/signals refuses longer with a 400).
  if (utf8Length(name.value) > MAX_MESSAGE_TEXT_BYTES) return { ok: false, message: `Signal name of '${catcherId}' is longer than ${MAX_MESSAGE_TEXT_BYTES} bytes` };
  const wait: WaitRecord = { id: run.ctx.newId(), type: 'signal', elementId: catcherId, elementInstanceKey: owner.key, signalName: name.value };
  if (!interrupting) wait.interrupting = false;
  return { ok: true, wait };
}

/** Records an evaluated wait on the instance and writes it (timers and subscriptions tables). */
export function openWait(run: Run, wait: WaitRecord): void {
  (run.state.waits ??= {})[wait.id] = wait;
  const owner = run.state.elements[wait.elementInstanceKey];
  const base = { id: wait.id, elementId: wait.elementId, elementInstanceKey: wait.elementInstanceKey };
  if (wait.type === 'timer') {
    run.emit({ type: 'OPEN_TIMER', timer: { ...base, dueAt: wait.dueAt!, ...(wait.repeat ? { repeat: wait.repeat } : {}) } });
    run.audit('TIMER_CREATED', owner, { timerId: wait.id, catchElementId: wait.elementId, dueAt: wait.dueAt, repeat: wait.repeat ?? null });
  } else if (wait.type === 'signal') {
    run.emit({ type: 'OPEN_SIGNAL_SUBSCRIPTION', subscription: { ...base, signalName: wait.signalName! } });
    run.audit('SIGNAL_SUBSCRIPTION_OPENED', owner, { subscriptionId: wait.id, catchElementId: wait.elementId, signalName: wait.signalName });
  } else {
    run.emit({
      type: 'OPEN_MESSAGE_SUBSCRIPTION',
      subscription: { ...base, messageName: wait.messageName!, correlationKey: wait.correlationKey!, interrupting: wait.interrupting !== false },
    });
    run.audit('MESSAGE_SUBSCRIPTION_OPENED', owner, { subscriptionId: wait.id, catchElementId: wait.elementId, messageName: wait.messageName, correlationKey: wait.correlationKey });
  }
}

/** Prepares and opens a wait for a waiting element itself; an evaluation failure is an incident that re-runs the activation. */
export function openOwnWait(run: Run, prepared: PreparedWait, instance: ElementInstance): void {
  if (!prepared.ok) {
    run.openIncident(instance, { type: 'EXPRESSION_FAILED', message: prepared.message, retry: 'activate' });
    return;
  }
  openWait(run, prepared.wait);
}

/** Removes a wait that happened (a timer fired, a message correlated). */
export function takeWait(run: Run, wait: WaitRecord, messageKey?: string): void {
  delete run.state.waits![wait.id];
  const owner = run.state.elements[wait.elementInstanceKey];
  if (wait.type === 'timer') {
    run.emit({ type: 'CLOSE_TIMER', timerId: wait.id, state: 'FIRED' });
    run.audit('TIMER_FIRED', owner, { timerId: wait.id, catchElementId: wait.elementId, dueAt: wait.dueAt });
  } else if (wait.type === 'signal') {
    run.emit({ type: 'CLOSE_SIGNAL_SUBSCRIPTION', subscriptionId: wait.id });
  } else {
    run.emit({ type: 'CLOSE_MESSAGE_SUBSCRIPTION', subscriptionId: wait.id, state: 'CORRELATED', messageKey });
  }
}

/** Closes every wait `owner` holds (it completes or is terminated). */
export function closeWaits(run: Run, owner: ElementInstance): void {
  closeWaitsOf(run, owner, () => true);
}

/** Closes the waits `owner` holds that `which` selects (an interrupting event sub-process withdraws its siblings' waits). */
export function closeWaitsOf(run: Run, owner: ElementInstance, which: (wait: WaitRecord) => boolean): void {
  const waits = run.state.waits;
  if (!waits) return;
  for (const id of run.index.waitIds(owner.key)) {
    const wait = waits[id];
    if (wait.elementInstanceKey !== owner.key || !which(wait)) continue;
    delete waits[wait.id];
    if (wait.type === 'timer') {
      run.emit({ type: 'CLOSE_TIMER', timerId: wait.id, state: 'CANCELED' });
      run.audit('TIMER_CANCELED', owner, { timerId: wait.id, catchElementId: wait.elementId });
    } else if (wait.type === 'signal') {
      run.emit({ type: 'CLOSE_SIGNAL_SUBSCRIPTION', subscriptionId: wait.id });
      run.audit('SIGNAL_SUBSCRIPTION_CLOSED', owner, { subscriptionId: wait.id, catchElementId: wait.elementId });
    } else {
      run.emit({ type: 'CLOSE_MESSAGE_SUBSCRIPTION', subscriptionId: wait.id, state: 'CLOSED' });
      run.audit('MESSAGE_SUBSCRIPTION_CLOSED', owner, { subscriptionId: wait.id, catchElementId: wait.elementId });
    }
  }
}

/** The message's variables, for the audit of a correlation. */
export function auditCorrelation(run: Run, wait: WaitRecord, messageKey: string, variables: Variables): void {
  const owner = run.state.elements[wait.elementInstanceKey];
  run.audit('MESSAGE_CORRELATED', owner, { subscriptionId: wait.id, catchElementId: wait.elementId, messageKey, messageName: wait.messageName, correlationKey: wait.correlationKey, variables });
}

/** A repeating timer that fired and stays armed (non-interrupting, a cycle): its next firing, while the cycle lasts. */
export function rearmCycle(run: Run, fired: WaitRecord): void {
  if (!fired.repeat) return;
  const next = nextOccurrence(fired.repeat, fired.dueAt!, run.ctx.now);
  if (next) openWait(run, { ...fired, id: run.ctx.newId(), dueAt: next.dueAt, repeat: next.repeat });
}
