/**
 * Intermediate events: timer and message catch events (the token waits),
 * link catch events (where a link throw jumps to), none throw events (the
 * token passes), message throw events (a job, as in Camunda 8: a worker sends
 * the message), escalation throw events and link throw events.
 */
import type {
  CompensationThrowEventElement,
  EscalationThrowEventElement,
  IntermediateThrowEventElement,
  LinkCatchEventElement,
  LinkThrowEventElement,
  MessageCatchEventElement,
  MessageThrowEventElement,
  SignalCatchEventElement,
  SignalThrowEventElement,
  TimerCatchEventElement,
} from '../types.js';
import { baseProps, type Transformer } from './context.js';
import { eventDefinitionTypes, reportUnsupported } from './unsupported.js';
import { linkName, messageRefOf, readCode, readCompensation, readMessage, readSignal, readTimer, type TimerEventDefinition } from './event-definitions.js';
import { jobDefinition } from './job-definition.js';
import { readInboundWebhook } from './inbound-webhook.js';

export const intermediateCatchEvent: Transformer = (node, parent, ctx) => {
  const definitions = eventDefinitionTypes(node);
  if (definitions.length === 1 && definitions[0] === 'bpmn:TimerEventDefinition') {
    const timer = readTimer(node, node.eventDefinitions![0] as TimerEventDefinition, ctx, ['date', 'duration']);
    if (!timer) return undefined;
    const element: TimerCatchEventElement = { kind: 'timerCatchEvent', ...baseProps(node, parent, ctx), timer };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:MessageEventDefinition') {
    const message = readMessage(node, messageRefOf(node.eventDefinitions![0]), ctx);
    if (!message) return undefined;
    const element: MessageCatchEventElement = { kind: 'messageCatchEvent', ...baseProps(node, parent, ctx), message };
    const webhook = readInboundWebhook(node, ctx.problems, message);
    if (webhook) element.webhook = webhook;
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:SignalEventDefinition') {
    const signal = readSignal(node, ctx);
    if (!signal) return undefined;
    const element: SignalCatchEventElement = { kind: 'signalCatchEvent', ...baseProps(node, parent, ctx), signal };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:LinkEventDefinition') {
    const name = linkName(node, ctx);
    if (!name) return undefined;
    const element: LinkCatchEventElement = { kind: 'linkCatchEvent', ...baseProps(node, parent, ctx), linkName: name };
    return element;
  }
  return reportUnsupported(node, ctx, definitions.join(', ') || 'none catch event');
};

export const intermediateThrowEvent: Transformer = (node, parent, ctx) => {
  const definitions = eventDefinitionTypes(node);
  if (definitions.length === 0) {
    const element: IntermediateThrowEventElement = { kind: 'intermediateThrowEvent', ...baseProps(node, parent, ctx) };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:MessageEventDefinition') {
    const element: MessageThrowEventElement = { kind: 'messageThrowEvent', ...baseProps(node, parent, ctx), ...jobDefinition(node, ctx.problems, 'Message throw event') };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:CompensateEventDefinition') {
    const element: CompensationThrowEventElement = { kind: 'compensationThrowEvent', ...baseProps(node, parent, ctx), ...readCompensation(node) };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:SignalEventDefinition') {
    const signal = readSignal(node, ctx);
    if (!signal) return undefined;
    const element: SignalThrowEventElement = { kind: 'signalThrowEvent', ...baseProps(node, parent, ctx), signal };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:EscalationEventDefinition') {
    const code = readCode(node, 'escalation', ctx, true);
    if (!code.ok) return undefined;
    const element: EscalationThrowEventElement = { kind: 'escalationThrowEvent', ...baseProps(node, parent, ctx), escalationCode: code.code! };
    return element;
  }
  if (definitions.length === 1 && definitions[0] === 'bpmn:LinkEventDefinition') {
    const name = linkName(node, ctx);
    if (!name) return undefined;
    // The target is resolved once the whole container is compiled (compile.ts).
    const element: LinkThrowEventElement = { kind: 'linkThrowEvent', ...baseProps(node, parent, ctx), linkName: name, target: '' };
    return element;
  }
  return reportUnsupported(node, ctx, definitions.join(', '));
};
