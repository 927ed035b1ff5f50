/**
 * Reading what an event waits for: a timer (`bpmn:TimerEventDefinition`
 * with one of timeDate / timeDuration / timeCycle) or a message
 * (`bpmn:Message name` and its `zeebe:subscription correlationKey`), shared
 * by catch events, receive tasks, start events and boundary events.
 */
import type { MessageDefinition, SignalDefinition, TimerDefinition } from '../types.js';
import { extension, type FlowNode, type ModdleElement } from '../moddle.js';
import type { TransformContext } from './context.js';
import { at, valueOrExpression } from './zeebe-properties.js';
import { armTimer } from '../../runtime/waits/timer-schedule.js';

interface Formal extends ModdleElement {
  body?: string;
}
export interface TimerEventDefinition extends ModdleElement {
  timeDate?: Formal;
  timeDuration?: Formal;
  timeCycle?: Formal;
}
export interface MessageRef extends ModdleElement {
  id?: string;
  name?: string;
  extensionElements?: FlowNode['extensionElements'];
}

const TIMER_FIELDS = [
  ['timeDate', 'date'],
  ['timeDuration', 'duration'],
  ['timeCycle', 'cycle'],
] as const;

/** The one timer of `definition`; a problem (and undefined) when there is none, or more than one. */
export function readTimer(node: FlowNode, definition: TimerEventDefinition, ctx: TransformContext, allowed: TimerDefinition['type'][] = ['date', 'duration', 'cycle']): TimerDefinition | undefined {
  const present = TIMER_FIELDS.filter(([field]) => definition[field]?.body?.trim());
  if (present.length !== 1) {
    const found = present.length === 0 ? 'none' : present.map(([f]) => f).join(' and ');
    ctx.problems.add(at(node, 'timerEventDefinition'), `Timer of "${node.id}" needs exactly one of timeDate, timeDuration or timeCycle (found ${found})`);
    return undefined;
  }
  const [field, type] = present[0];
  if (!allowed.includes(type)) {
    ctx.problems.add(at(node, field), `A ${node.$type} "${node.id}" cannot have a ${field} timer; use ${allowed.map((t) => TIMER_FIELDS.find(([, k]) => k === t)![0]).join(' or ')}`);
    return undefined;
  }
  const expression = valueOrExpression(definition[field]!.body!.trim(), at(node, field), ctx.problems);
  // A written-out timer can be checked now; an expression is checked when it is armed (an incident if it fails).
  if ('value' in expression) {
    const armed = armTimer({ type, expression }, {}, new Date(0).toISOString());
    if (!armed.ok) {
      ctx.problems.add(at(node, field), `Timer of "${node.id}": ${armed.message}`);
      return undefined;
    }
  }
  return { type, expression };
}

/**
 * The message an event or receive task waits for. The correlation key
 * (`zeebe:subscription correlationKey`) says how a message finds its
 * instance. Camunda 8 requires one on catch events; Weft does not (diagrams
 * from Camunda 7 and other tools have none): a subscription without a key
 * matches a message published under its name with no correlation key.
 */
export function readMessage(node: FlowNode, message: MessageRef | undefined, ctx: TransformContext): MessageDefinition | undefined {
  if (!message) {
    if (unresolvedReported(node, ctx)) return undefined;
    ctx.problems.add(at(node, 'messageRef'), `"${node.id}" names no bpmn:Message (messageRef)`);
    return undefined;
  }
  const name = message.name?.trim();
  if (!name) {
    ctx.problems.add(at(node, 'messageRef'), `The bpmn:Message "${message.id}" of "${node.id}" has no name`);
    return undefined;
  }
  const result: MessageDefinition = { name: valueOrExpression(name, at(node, 'bpmn:Message.name'), ctx.problems) };
  const key = extension<ModdleElement & { correlationKey?: string }>(message, 'zeebe:Subscription')?.correlationKey?.trim();
  if (key) result.correlationKey = valueOrExpression(key, at(node, 'zeebe:subscription.correlationKey'), ctx.problems);
  return result;
}

/** The `messageRef` of a message event definition. */
export function messageRefOf(definition: ModdleElement): MessageRef | undefined {
  return (definition as ModdleElement & { messageRef?: MessageRef }).messageRef;
}

interface CodedRef extends ModdleElement {
  id?: string;
  errorCode?: string;
  escalationCode?: string;
}

/**
 * The code of the bpmn:Error / bpmn:Escalation an event definition names.
 * `required` (throw events): a code must be there. Catching events without a
 * reference catch every code (undefined). Code expressions are not supported.
 */
export function readCode(node: FlowNode, kind: 'error' | 'escalation', ctx: TransformContext, required: boolean): { ok: true; code?: string } | { ok: false } {
  const definition = node.eventDefinitions![0] as ModdleElement & { errorRef?: CodedRef; escalationRef?: CodedRef };
  const ref = kind === 'error' ? definition.errorRef : definition.escalationRef;
  const what = kind === 'error' ? 'bpmn:Error' : 'bpmn:Escalation';
  const field = kind === 'error' ? 'errorRef' : 'escalationRef';
  if (!ref) {
    if (!required) return { ok: true };
    if (unresolvedReported(node, ctx)) return { ok: false };
    ctx.problems.add(at(node, field), `"${node.id}" throws no ${what}: name one with a code (${field})`);
    return { ok: false };
  }
  const code = (kind === 'error' ? ref.errorCode : ref.escalationCode)?.trim();
  if (!code) {
    ctx.problems.add(at(node, field), `The ${what} "${ref.id}" of "${node.id}" has no ${kind}Code`);
    return { ok: false };
  }
  if (code.startsWith('=')) {
    ctx.problems.add(at(node, field), `${kind === 'error' ? 'Error' : 'Escalation'} code expressions are not supported yet ("${code}" on "${node.id}")`);
    return { ok: false };
  }
  return { ok: true, code };
}

/** The link name of a link event definition (`bpmn:LinkEventDefinition name`). */
export function linkName(node: FlowNode, ctx: TransformContext): string | undefined {
  const name = (node.eventDefinitions![0] as ModdleElement & { name?: string }).name?.trim();
  if (!name) ctx.problems.add(at(node, 'linkEventDefinition.name'), `Link event "${node.id}" needs a name: a link throw jumps to the link catch event of the same name`);
  return name || undefined;
}

/** The signal a signal event definition names (`signalRef` → `bpmn:Signal name`). */
export function readSignal(node: FlowNode, ctx: TransformContext): SignalDefinition | undefined {
  const signal = (node.eventDefinitions![0] as ModdleElement & { signalRef?: ModdleElement & { id?: string; name?: string } }).signalRef;
  if (!signal) {
    if (unresolvedReported(node, ctx)) return undefined;
    ctx.problems.add(at(node, 'signalRef'), `"${node.id}" names no bpmn:Signal (signalRef)`);
    return undefined;
  }
  const name = signal.name?.trim();
  if (!name) {
    ctx.problems.add(at(node, 'signalRef'), `The bpmn:Signal "${signal.id}" of "${node.id}" has no name`);
    return undefined;
  }
  return { name: valueOrExpression(name, at(node, 'bpmn:Signal.name'), ctx.problems) };
}

/** `bpmn:CompensateEventDefinition`: which activity (none: all of the scope), and whether the thrower waits for the handlers. */
export function readCompensation(node: FlowNode): { activityRef?: string; waitForCompletion: boolean } {
  const definition = node.eventDefinitions![0] as ModdleElement & { activityRef?: { id?: string }; waitForCompletion?: boolean };
  const result: { activityRef?: string; waitForCompletion: boolean } = { waitForCompletion: definition.waitForCompletion !== false };
  if (definition.activityRef?.id) result.activityRef = definition.activityRef.id;
  return result;
}

/** A reference the parser could not resolve is reported already (parse-xml.ts): a missing one is not a second problem. */
function unresolvedReported(node: FlowNode, ctx: TransformContext): boolean {
  return ctx.problems.list.some((p) => p.elementId === node.id && p.message.startsWith('Unresolved reference'));
}
