/**
 * Intermediate events: timer and message catch events (the token waits),
 * none throw events (the token passes) and message throw events (a job, as in
 * Camunda 8: a worker sends the message).
 */
import type { IntermediateThrowEventElement, MessageCatchEventElement, MessageThrowEventElement, TimerCatchEventElement } from '../types.js';
import { baseProps, type Transformer } from './context.js';
import { eventDefinitionTypes, reportUnsupported } from './unsupported.js';
import { messageRefOf, readMessage, readTimer, type TimerEventDefinition } from './event-definitions.js';
import { jobDefinition } from './job-definition.js';

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
  return reportUnsupported(node, ctx, definitions.join(', '));
};
