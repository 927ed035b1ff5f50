/**
 * Boundary events: error (interrupting), timer, message, signal and
 * escalation (interrupting or not), compensation (a marker for the handler)
 * and cancel (on a transaction). Any other kind (conditional, …) is reported
 * as not supported yet. Each boundary event that waits is listed on its host activity
 * (`boundaryEvents`, linked in compile.ts once every element exists).
 */
import type {
  CancelBoundaryEventElement,
  CompensationBoundaryEventElement,
  ErrorBoundaryEventElement,
  EscalationBoundaryEventElement,
  MessageBoundaryEventElement,
  SignalBoundaryEventElement,
  TimerBoundaryEventElement,
} from '../types.js';
import type { ModdleElement } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { eventDefinitionTypes, reportUnsupported } from './unsupported.js';
import { SUPPORTED_EVENT_DEFINITIONS } from '../supported-elements.js';
import { at } from './zeebe-properties.js';
import { readInboundWebhook } from './inbound-webhook.js';
import { messageRefOf, readCode, readMessage, readSignal, readTimer, type TimerEventDefinition } from './event-definitions.js';

interface BoundaryNode extends ModdleElement {
  id: string;
  attachedToRef?: ModdleElement & { id?: string };
  cancelActivity?: boolean;
  eventDefinitions?: (ModdleElement & { errorRef?: ModdleElement & { id?: string; errorCode?: string } })[];
}

/** What a boundary event may wait for (the list the modeler page marks by, too). */
const CATCHABLE: ReadonlySet<string> = new Set(SUPPORTED_EVENT_DEFINITIONS.boundary);

export const boundaryEvent: Transformer = (node, parent, ctx) => {
  const boundary = node as unknown as BoundaryNode;
  const definitions = eventDefinitionTypes(node);
  const kind = definitions.length === 1 ? definitions[0] : undefined;
  if (!(kind && CATCHABLE.has(kind))) {
    return reportUnsupported(node, ctx, definitions.join(', ') || 'none boundary event');
  }
  if (!boundary.attachedToRef?.id) {
    ctx.problems.add(at(node, 'attachedToRef'), `Boundary event "${node.id}" is not attached to an activity`);
    return undefined;
  }
  const attachedTo = boundary.attachedToRef.id;
  // BPMN's default for cancelActivity is true.
  const interrupting = boundary.cancelActivity !== false;
  if (kind === 'bpmn:TimerEventDefinition') {
    const timer = readTimer(node, node.eventDefinitions![0] as TimerEventDefinition, ctx, interrupting ? ['date', 'duration'] : ['date', 'duration', 'cycle']);
    if (!timer) return undefined;
    const element: TimerBoundaryEventElement = { kind: 'timerBoundaryEvent', ...baseProps(node, parent, ctx), attachedTo, interrupting, timer };
    return element;
  }
  if (kind === 'bpmn:MessageEventDefinition') {
    const message = readMessage(node, messageRefOf(node.eventDefinitions![0]), ctx);
    if (!message) return undefined;
    const element: MessageBoundaryEventElement = { kind: 'messageBoundaryEvent', ...baseProps(node, parent, ctx), attachedTo, interrupting, message };
    const webhook = readInboundWebhook(node, ctx.problems, message);
    if (webhook) element.webhook = webhook;
    return element;
  }
  if (kind === 'bpmn:CompensateEventDefinition') {
    // The handler is the activity the boundary event is associated with (bpmn:Association in the same container).
    const artifacts = ((node.$parent as { artifacts?: (ModdleElement & { sourceRef?: { id?: string }; targetRef?: { id?: string } })[] } | undefined)?.artifacts ?? []);
    const handlers = artifacts.filter((a) => a.$type === 'bpmn:Association' && a.sourceRef?.id === node.id && a.targetRef?.id).map((a) => a.targetRef!.id!);
    if (handlers.length !== 1) {
      ctx.problems.add(at(node), `Compensation boundary event "${node.id}" needs exactly one association to its compensation handler (an activity marked isForCompensation), found ${handlers.length}`);
      return undefined;
    }
    const element: CompensationBoundaryEventElement = { kind: 'compensationBoundaryEvent', ...baseProps(node, parent, ctx), attachedTo, handler: handlers[0] };
    return element;
  }
  if (kind === 'bpmn:CancelEventDefinition') {
    const element: CancelBoundaryEventElement = { kind: 'cancelBoundaryEvent', ...baseProps(node, parent, ctx), attachedTo };
    return element;
  }
  if (kind === 'bpmn:SignalEventDefinition') {
    const signal = readSignal(node, ctx);
    if (!signal) return undefined;
    const element: SignalBoundaryEventElement = { kind: 'signalBoundaryEvent', ...baseProps(node, parent, ctx), attachedTo, interrupting, signal };
    return element;
  }
  if (kind === 'bpmn:EscalationEventDefinition') {
    const code = readCode(node, 'escalation', ctx, false);
    if (!code.ok) return undefined;
    const element: EscalationBoundaryEventElement = { kind: 'escalationBoundaryEvent', ...baseProps(node, parent, ctx), attachedTo, interrupting };
    if (code.code) element.escalationCode = code.code;
    return element;
  }
  if (!interrupting) {
    ctx.problems.add(at(node, 'cancelActivity'), `Error boundary event "${node.id}" must be interrupting (an error always ends the activity)`);
    return undefined;
  }
  const element: ErrorBoundaryEventElement = { kind: 'errorBoundaryEvent', ...baseProps(node, parent, ctx), attachedTo };
  const error = boundary.eventDefinitions![0].errorRef;
  if (error) {
    const code = error.errorCode?.trim();
    if (!code) ctx.problems.add(at(node, 'errorRef'), `The bpmn:Error "${error.id}" caught by "${node.id}" has no errorCode`);
    else if (code.startsWith('=')) ctx.problems.add(at(node, 'errorRef'), `Error code expressions are not supported yet ("${code}" on "${node.id}")`);
    else element.errorCode = code;
  }
  return element;
};
