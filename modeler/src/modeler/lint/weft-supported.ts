/**
 * What Weft's compiler can run, mirrored from engine/model/transformers/
 * (index.ts, unsupported.ts, event-transformers.ts, boundary-event-transformer.ts,
 * ad-hoc-sub-process-transformer.ts). A test
 * (test/browser/modeler-lint.test.ts) keeps this list equal to the compiler's.
 * Plain data, no browser imports, so the test can load it in Node.
 */

/** Flow node types with a transformer. Any other flow node is refused at deploy. */
export const SUPPORTED_FLOW_NODES = [
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
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
  'bpmn:EventBasedGateway',
  'bpmn:CallActivity',
  'bpmn:Transaction',
  'bpmn:BusinessRuleTask',
] as const;

const TIMER = 'bpmn:TimerEventDefinition';
const MESSAGE = 'bpmn:MessageEventDefinition';
const ERROR = 'bpmn:ErrorEventDefinition';
const ESCALATION = 'bpmn:EscalationEventDefinition';
const LINK = 'bpmn:LinkEventDefinition';
const SIGNAL = 'bpmn:SignalEventDefinition';
const COMPENSATE = 'bpmn:CompensateEventDefinition';
const CANCEL = 'bpmn:CancelEventDefinition';

/** Flow elements that compile to nothing and are fine. */
export const IGNORED_FLOW_ELEMENTS = ['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference'];

/**
 * Why Weft cannot run `node`, or undefined if it can. Mirrors the compiler:
 * start events none, or timer / message / signal at the top of a process;
 * end events none, terminate, message, error, escalation or signal;
 * intermediate catch events with a timer, a message, a signal or a link,
 * throw events none, message, escalation, signal or link; boundary events
 * error (interrupting), timer, message, signal or escalation; event
 * sub-processes started by a timer, message, signal, error or escalation;
 * call activities; business rule tasks (a DMN decision or a job); multi-instance and standard loops on activities;
 * compensation (boundary, throw and end events) and transactions with cancel
 * end and boundary events.
 */
export function unsupportedReason(node: { $type: string; [key: string]: any }): string | undefined {
  const type = node.$type;
  const definitions: string[] = (node.eventDefinitions ?? []).map((d: { $type: string }) => d.$type);
  if (!(SUPPORTED_FLOW_NODES as readonly string[]).includes(type)) {
    return `${type}${definitions.length ? ` (${definitions.join(', ')})` : ''} is not supported by Weft yet`;
  }
  const one = definitions.length === 1 ? definitions[0] : undefined;
  if (type === 'bpmn:StartEvent' && definitions.length > 0) {
    if (node.$parent?.triggeredByEvent) {
      if (![TIMER, MESSAGE, SIGNAL, ERROR, ESCALATION].includes(one ?? '')) return `An event sub-process started by ${definitions.join(', ')} is not supported by Weft yet`;
    } else if (![TIMER, MESSAGE, SIGNAL].includes(one ?? '')) return `A start event with ${definitions.join(', ')} is not supported by Weft yet`;
    else if (node.$parent?.$type !== 'bpmn:Process') return 'A start event of an embedded sub-process cannot wait for an event: use a none start event';
  }
  if (type === 'bpmn:EndEvent' && definitions.length > 0 && !['bpmn:TerminateEventDefinition', MESSAGE, ERROR, ESCALATION, SIGNAL, COMPENSATE, CANCEL].includes(one ?? '')) {
    return `An end event with ${definitions.join(', ')} is not supported by Weft yet`;
  }
  if (type === 'bpmn:IntermediateCatchEvent' && ![TIMER, MESSAGE, LINK, SIGNAL].includes(one ?? '')) {
    return `An intermediate catch event with ${definitions.join(', ') || 'no event definition'} is not supported by Weft yet`;
  }
  if (type === 'bpmn:IntermediateThrowEvent' && definitions.length > 0 && ![MESSAGE, ESCALATION, LINK, SIGNAL, COMPENSATE].includes(one ?? '')) {
    return `An intermediate throw event with ${definitions.join(', ')} is not supported by Weft yet`;
  }
  if (type === 'bpmn:BoundaryEvent') {
    if (![ERROR, TIMER, MESSAGE, ESCALATION, SIGNAL, COMPENSATE, CANCEL].includes(one ?? '')) {
      return `A boundary event with ${definitions.join(', ') || 'no event definition'} is not supported by Weft yet`;
    }
    if (one === ERROR && node.cancelActivity === false) return 'An error boundary event must be interrupting (an error always ends the activity)';
  }
  return undefined;
}
