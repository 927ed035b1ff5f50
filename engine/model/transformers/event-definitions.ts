/**
 * Reading what an event waits for: a timer (`bpmn:TimerEventDefinition`
 * with one of timeDate / timeDuration / timeCycle) or a message
 * (`bpmn:Message name` and its `zeebe:subscription correlationKey`), shared
 * by catch events, receive tasks, start events and boundary events.
 */
import type { MessageDefinition, TimerDefinition } from '../types.js';
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
