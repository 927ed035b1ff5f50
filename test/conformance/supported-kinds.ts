/**
 * The BPMN element kinds Weft executes today: the one list the MIWG tests
 * (miwg.test.ts) check each reference file against. Whoever makes Weft
 * execute a new kind adds it here; the files using it are then expected to
 * deploy, or to be refused only for their remaining kinds.
 *
 * A kind is written as harness/bpmn-kinds.ts names it: the BPMN type, then
 * in parentheses its event definitions and qualifiers, e.g.
 * `bpmn:BoundaryEvent(bpmn:TimerEventDefinition, non-interrupting)`,
 * `bpmn:SubProcess(event sub-process)`; a loop is its own kind
 * (`bpmn:MultiInstanceLoopCharacteristics`, `bpmn:StandardLoopCharacteristics`).
 */
/** `type` with each event definition (`Timer` → `bpmn:TimerEventDefinition`), and a qualifier such as `, non-interrupting`. */
const withEach = (type: string, definitions: string[], qualifier = '') => definitions.map((d) => `${type}(bpmn:${d}EventDefinition${qualifier})`);

export const WEFT_EXECUTES: ReadonlySet<string> = new Set([
  'bpmn:StartEvent',
  // At the top of a process (a start event of an embedded sub-process cannot wait for an event).
  ...withEach('bpmn:StartEvent', ['Timer', 'Message', 'Signal']),
  // In an event sub-process; an error start is always interrupting.
  ...withEach('bpmn:StartEvent', ['Error', 'Escalation']),
  ...withEach('bpmn:StartEvent', ['Timer', 'Message', 'Signal', 'Escalation'], ', non-interrupting'),
  'bpmn:SubProcess(event sub-process)',
  'bpmn:EndEvent',
  ...withEach('bpmn:EndEvent', ['Terminate', 'Message', 'Error', 'Escalation', 'Signal', 'Compensate']),
  // Inside a transaction only (the compiler refuses one elsewhere).
  'bpmn:EndEvent(bpmn:CancelEventDefinition)',
  ...withEach('bpmn:IntermediateCatchEvent', ['Timer', 'Message', 'Signal', 'Link']),
  'bpmn:IntermediateThrowEvent',
  ...withEach('bpmn:IntermediateThrowEvent', ['Message', 'Escalation', 'Signal', 'Link', 'Compensate']),
  // A compensation boundary event is associated with its handler; a cancel boundary event sits on a transaction.
  ...withEach('bpmn:BoundaryEvent', ['Error', 'Timer', 'Message', 'Signal', 'Escalation', 'Compensate', 'Cancel']),
  ...withEach('bpmn:BoundaryEvent', ['Timer', 'Message', 'Signal', 'Escalation'], ', non-interrupting'),
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ServiceTask',
  'bpmn:UserTask',
  'bpmn:ScriptTask',
  'bpmn:ReceiveTask',
  'bpmn:SendTask',
  'bpmn:BusinessRuleTask',
  'bpmn:SubProcess',
  'bpmn:AdHocSubProcess',
  'bpmn:Transaction',
  'bpmn:CallActivity',
  'bpmn:MultiInstanceLoopCharacteristics',
  'bpmn:StandardLoopCharacteristics',
]);

/** Flow elements with no behaviour of their own: nothing to execute, so never a reason to refuse a file. */
export const WITHOUT_BEHAVIOUR: ReadonlySet<string> = new Set(['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
