/**
 * What Weft's compiler can run, as plain data: the flow node kinds with a
 * transformer (transformers/index.ts is typed by this list, so a kind added
 * on one side only is a compile error) and the event definitions each kind
 * of event may carry. It imports nothing, so the modeler page imports this
 * very file (its lint, palette and replace menu) instead of a copy.
 */

/** Flow node types with a transformer. Any other flow node is refused at deploy. */
export const SUPPORTED_FLOW_NODES = [
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:ServiceTask',
  'bpmn:UserTask',
  'bpmn:ScriptTask',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:SubProcess',
  'bpmn:BoundaryEvent',
  'bpmn:AdHocSubProcess',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:ReceiveTask',
  'bpmn:SendTask',
  'bpmn:CallActivity',
  'bpmn:BusinessRuleTask',
  'bpmn:Transaction',
] as const;

export type SupportedFlowNode = (typeof SUPPORTED_FLOW_NODES)[number];

/** Flow elements that carry no behaviour: compiled to nothing, without a problem. */
export const IGNORED_FLOW_ELEMENTS = ['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference'] as const;

const TIMER = 'bpmn:TimerEventDefinition';
const MESSAGE = 'bpmn:MessageEventDefinition';
const ERROR = 'bpmn:ErrorEventDefinition';
const ESCALATION = 'bpmn:EscalationEventDefinition';
const LINK = 'bpmn:LinkEventDefinition';
const SIGNAL = 'bpmn:SignalEventDefinition';
const COMPENSATE = 'bpmn:CompensateEventDefinition';
const CANCEL = 'bpmn:CancelEventDefinition';
const TERMINATE = 'bpmn:TerminateEventDefinition';

/**
 * The one event definition each kind of event may carry (besides none, where
 * the kind allows none). An event with two definitions is never supported.
 */
export const SUPPORTED_EVENT_DEFINITIONS = {
  /** A process's start event; none too. */
  processStart: [TIMER, MESSAGE, SIGNAL],
  /** The start event of an event sub-process (an event is required). */
  eventSubProcessStart: [TIMER, MESSAGE, SIGNAL, ERROR, ESCALATION],
  /** End events; none too. */
  end: [TERMINATE, MESSAGE, ERROR, ESCALATION, SIGNAL, COMPENSATE, CANCEL],
  /** Intermediate catch events (an event is required). */
  intermediateCatch: [TIMER, MESSAGE, LINK, SIGNAL],
  /** Intermediate throw events; none too. */
  intermediateThrow: [MESSAGE, ESCALATION, LINK, SIGNAL, COMPENSATE],
  /** Boundary events (an event is required); an error boundary event is always interrupting. */
  boundary: [ERROR, TIMER, MESSAGE, ESCALATION, SIGNAL, COMPENSATE, CANCEL],
} as const satisfies Record<string, readonly string[]>;

/** A flow node as bpmn-moddle reads it, as far as support depends on it. */
export interface FlowNodeShape {
  $type: string;
  eventDefinitions?: readonly { $type: string }[];
  cancelActivity?: boolean;
  $parent?: { $type: string; triggeredByEvent?: boolean };
}

const isIn = (list: readonly string[], value: string | undefined): boolean => value !== undefined && list.includes(value);

/**
 * Why Weft cannot run `node`, in words for the person drawing it, or
 * undefined when it can. Start events of embedded sub-processes wait for
 * nothing (the token entering starts them).
 */
export function unsupportedReason(node: FlowNodeShape): string | undefined {
  const type = node.$type;
  const definitions = (node.eventDefinitions ?? []).map((d) => d.$type);
  const one = definitions.length === 1 ? definitions[0] : undefined;
  const named = definitions.join(', ');
  if ((IGNORED_FLOW_ELEMENTS as readonly string[]).includes(type)) return undefined;
  if (!(SUPPORTED_FLOW_NODES as readonly string[]).includes(type)) return `${type}${named ? ` (${named})` : ''} is not supported by Weft yet`;
  const S = SUPPORTED_EVENT_DEFINITIONS;
  if (type === 'bpmn:StartEvent' && definitions.length > 0) {
    if (node.$parent?.triggeredByEvent) {
      if (!isIn(S.eventSubProcessStart, one)) return `An event sub-process started by ${named} is not supported by Weft yet`;
    } else if (!isIn(S.processStart, one)) return `A start event with ${named} is not supported by Weft yet`;
    else if (node.$parent && node.$parent.$type !== 'bpmn:Process') return 'A start event of an embedded sub-process cannot wait for an event: use a none start event';
  }
  if (type === 'bpmn:EndEvent' && definitions.length > 0 && !isIn(S.end, one)) return `An end event with ${named} is not supported by Weft yet`;
  if (type === 'bpmn:IntermediateCatchEvent' && !isIn(S.intermediateCatch, one)) {
    return `An intermediate catch event with ${named || 'no event definition'} is not supported by Weft yet`;
  }
  if (type === 'bpmn:IntermediateThrowEvent' && definitions.length > 0 && !isIn(S.intermediateThrow, one)) {
    return `An intermediate throw event with ${named} is not supported by Weft yet`;
  }
  if (type === 'bpmn:BoundaryEvent') {
    if (!isIn(S.boundary, one)) return `A boundary event with ${named || 'no event definition'} is not supported by Weft yet`;
    if (one === ERROR && node.cancelActivity === false) return 'An error boundary event must be interrupting (an error always ends the activity)';
  }
  return undefined;
}
