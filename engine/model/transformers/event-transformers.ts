/**
 * Start and end events: none, timer and message start events (timer and
 * message only at the top level of a process); none, terminate, message,
 * error and escalation end events.
 */
import type {
  CancelEndEventElement,
  CompensationEndEventElement,
  EndEventElement,
  ErrorEndEventElement,
  ErrorStartEventElement,
  EscalationStartEventElement,
  SignalEndEventElement,
  SignalStartEventElement,
  EscalationEndEventElement,
  MessageEndEventElement,
  MessageStartEventElement,
  StartEventElement,
  TerminateEndEventElement,
  TimerStartEventElement,
} from '../types.js';
import { baseProps, type Transformer } from './context.js';
import { eventDefinitionTypes, reportUnsupported } from './unsupported.js';
import { messageRefOf, readCode, readCompensation, readMessage, readSignal, readTimer, type TimerEventDefinition } from './event-definitions.js';
import { jobDefinition } from './job-definition.js';
import { at } from './zeebe-properties.js';
import { readInboundWebhook } from './inbound-webhook.js';

export const startEvent: Transformer = (node, parent, ctx) => {
  const definitions = eventDefinitionTypes(node);
  const inEventSubProcess = (node.$parent as { triggeredByEvent?: boolean } | undefined)?.triggeredByEvent === true;
  if (definitions.length === 0) {
    if (inEventSubProcess) {
      ctx.problems.add(at(node), `The start event "${node.id}" of an event sub-process needs a timer, message, error or escalation: it says what starts it`);
      return undefined;
    }
    const element: StartEventElement = { kind: 'startEvent', ...baseProps(node, parent, ctx) };
    const webhook = readInboundWebhook(node, ctx.problems);
    if (webhook && node.$parent?.$type !== 'bpmn:Process') {
      ctx.problems.add(at(node, 'inbound.type'), `Start event "${node.id}" of an embedded sub-process cannot be a webhook: only a process's start event can`);
    } else if (webhook) element.webhook = webhook;
    return element;
  }
  const kind = definitions.length === 1 ? definitions[0] : undefined;
  if (inEventSubProcess) return eventSubProcessStart(node, parent, ctx, kind);
  if (kind === 'bpmn:TimerEventDefinition' || kind === 'bpmn:MessageEventDefinition' || kind === 'bpmn:SignalEventDefinition') {
    if (node.$parent?.$type !== 'bpmn:Process') {
      // An embedded sub-process starts only at a none start event.
      const what = kind === 'bpmn:TimerEventDefinition' ? 'timer' : kind === 'bpmn:MessageEventDefinition' ? 'message' : 'signal';
      ctx.problems.add(at(node), `Start event "${node.id}" of an embedded sub-process cannot wait for a ${what}: it starts when the token enters; use a none start event`);
      return undefined;
    }
    if (kind === 'bpmn:SignalEventDefinition') {
      const signal = readSignal(node, ctx);
      if (!signal) return undefined;
      if ('feel' in signal.name) {
        ctx.problems.add(at(node, 'bpmn:Signal.name'), `The signal name of start event "${node.id}" must be a fixed name: it is matched before any instance exists`);
        return undefined;
      }
      const element: SignalStartEventElement = { kind: 'signalStartEvent', ...baseProps(node, parent, ctx), signal };
      return element;
    }
    if (kind === 'bpmn:TimerEventDefinition') {
      const timer = readTimer(node, node.eventDefinitions![0] as TimerEventDefinition, ctx);
      if (!timer) return undefined;
      const element: TimerStartEventElement = { kind: 'timerStartEvent', ...baseProps(node, parent, ctx), timer };
      return element;
    }
    const message = readMessage(node, messageRefOf(node.eventDefinitions![0]), ctx);
    if (!message) return undefined;
    if ('feel' in message.name) {
      ctx.problems.add(at(node, 'bpmn:Message.name'), `The message name of start event "${node.id}" must be a fixed name: it is matched before any instance exists`);
      return undefined;
    }
    const element: MessageStartEventElement = { kind: 'messageStartEvent', ...baseProps(node, parent, ctx), message };
    const webhook = readInboundWebhook(node, ctx.problems, message);
    if (webhook) element.webhook = webhook;
    return element;
  }
  return reportUnsupported(node, ctx, definitions.join(', '));
};

/** The start event of an event sub-process: timer, message, error or escalation; `isInterrupting` (default true). */
const eventSubProcessStart = (node: Parameters<Transformer>[0], parent: string, ctx: Parameters<Transformer>[2], kind: string | undefined) => {
  const interrupting = (node as { isInterrupting?: boolean }).isInterrupting !== false;
  if (kind === 'bpmn:TimerEventDefinition') {
    const timer = readTimer(node, node.eventDefinitions![0] as TimerEventDefinition, ctx, interrupting ? ['date', 'duration'] : ['date', 'duration', 'cycle']);
    if (!timer) return undefined;
    const element: TimerStartEventElement = { kind: 'timerStartEvent', ...baseProps(node, parent, ctx), timer, interrupting };
    return element;
  }
  if (kind === 'bpmn:MessageEventDefinition') {
    const message = readMessage(node, messageRefOf(node.eventDefinitions![0]), ctx);
    if (!message) return undefined;
    const element: MessageStartEventElement = { kind: 'messageStartEvent', ...baseProps(node, parent, ctx), message, interrupting };
    const webhook = readInboundWebhook(node, ctx.problems, message);
    if (webhook) element.webhook = webhook;
    return element;
  }
  if (kind === 'bpmn:SignalEventDefinition') {
    const signal = readSignal(node, ctx);
    if (!signal) return undefined;
    const element: SignalStartEventElement = { kind: 'signalStartEvent', ...baseProps(node, parent, ctx), signal, interrupting };
    return element;
  }
  if (kind === 'bpmn:ErrorEventDefinition') {
    if (!interrupting) {
      ctx.problems.add(at(node, 'isInterrupting'), `Error start event "${node.id}" must be interrupting (an error always ends the scope it is thrown in)`);
      return undefined;
    }
    const code = readCode(node, 'error', ctx, false);
    if (!code.ok) return undefined;
    const element: ErrorStartEventElement = { kind: 'errorStartEvent', ...baseProps(node, parent, ctx) };
    if (code.code) element.errorCode = code.code;
    return element;
  }
  if (kind === 'bpmn:EscalationEventDefinition') {
    const code = readCode(node, 'escalation', ctx, false);
    if (!code.ok) return undefined;
    const element: EscalationStartEventElement = { kind: 'escalationStartEvent', ...baseProps(node, parent, ctx), interrupting };
    if (code.code) element.escalationCode = code.code;
    return element;
  }
  return reportUnsupported(node, ctx, `${(node.eventDefinitions ?? []).map((d) => d.$type).join(', ')} start of an event sub-process`);
};

export const endEvent: Transformer = (node, parent, ctx) => {
  const definitions = eventDefinitionTypes(node);
  if (definitions.length === 0) {
    const element: EndEventElement = { kind: 'endEvent', ...baseProps(node, parent, ctx) };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:TerminateEventDefinition') {
    const element: TerminateEndEventElement = { kind: 'terminateEndEvent', ...baseProps(node, parent, ctx) };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:ErrorEventDefinition') {
    const code = readCode(node, 'error', ctx, true);
    if (!code.ok) return undefined;
    const element: ErrorEndEventElement = { kind: 'errorEndEvent', ...baseProps(node, parent, ctx), errorCode: code.code! };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:EscalationEventDefinition') {
    const code = readCode(node, 'escalation', ctx, true);
    if (!code.ok) return undefined;
    const element: EscalationEndEventElement = { kind: 'escalationEndEvent', ...baseProps(node, parent, ctx), escalationCode: code.code! };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:CompensateEventDefinition') {
    const element: CompensationEndEventElement = { kind: 'compensationEndEvent', ...baseProps(node, parent, ctx), ...readCompensation(node) };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:CancelEventDefinition') {
    if (node.$parent?.$type !== 'bpmn:Transaction') {
      ctx.problems.add(at(node), `Cancel end event "${node.id}" must be inside a transaction: it cancels the transaction it is in`);
      return undefined;
    }
    const element: CancelEndEventElement = { kind: 'cancelEndEvent', ...baseProps(node, parent, ctx) };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:SignalEventDefinition') {
    const signal = readSignal(node, ctx);
    if (!signal) return undefined;
    const element: SignalEndEventElement = { kind: 'signalEndEvent', ...baseProps(node, parent, ctx), signal };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:MessageEventDefinition') {
    const element: MessageEndEventElement = { kind: 'messageEndEvent', ...baseProps(node, parent, ctx), ...jobDefinition(node, ctx.problems, 'Message end event') };
    return element;
  }
  return reportUnsupported(node, ctx, definitions.join(', '));
};
