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
export const WEFT_EXECUTES: ReadonlySet<string> = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:EndEvent(bpmn:TerminateEventDefinition)',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ServiceTask',
  'bpmn:UserTask',
  'bpmn:ScriptTask',
  'bpmn:BusinessRuleTask',
  'bpmn:SubProcess',
  'bpmn:AdHocSubProcess',
  'bpmn:BoundaryEvent(bpmn:ErrorEventDefinition)',
]);

/** Flow elements with no behaviour of their own: nothing to execute, so never a reason to refuse a file. */
export const WITHOUT_BEHAVIOUR: ReadonlySet<string> = new Set(['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
