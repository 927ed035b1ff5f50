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
] as const;

/** Flow elements that compile to nothing and are fine. */
export const IGNORED_FLOW_ELEMENTS = ['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference'];

/**
 * Why Weft cannot run `node`, or undefined if it can. Mirrors the compiler:
 * start events without definitions, end events without or with one terminate
 * definition, boundary events only as interrupting error events, no event sub-processes, no loops or multi-instance, script tasks
 * only as FEEL (zeebe:script).
 */
export function unsupportedReason(node: { $type: string; [key: string]: any }): string | undefined {
  const type = node.$type;
  const definitions: string[] = (node.eventDefinitions ?? []).map((d: { $type: string }) => d.$type);
  if (!(SUPPORTED_FLOW_NODES as readonly string[]).includes(type)) {
    return `${type}${definitions.length ? ` (${definitions.join(', ')})` : ''} is not supported by Weft yet`;
  }
  if (type === 'bpmn:StartEvent' && definitions.length > 0) {
    return `A start event with ${definitions.join(', ')} is not supported by Weft yet; use a none start event`;
  }
  if (type === 'bpmn:EndEvent' && definitions.length > 0 && !(definitions.length === 1 && definitions[0] === 'bpmn:TerminateEventDefinition')) {
    return `An end event with ${definitions.join(', ')} is not supported by Weft yet`;
  }
  if (type === 'bpmn:BoundaryEvent') {
    if (definitions.length !== 1 || definitions[0] !== 'bpmn:ErrorEventDefinition') {
      return `A boundary event with ${definitions.join(', ') || 'no event definition'} is not supported by Weft yet; only error boundary events are`;
    }
    if (node.cancelActivity === false) return 'An error boundary event must be interrupting (an error always ends the activity)';
  }
  if (type === 'bpmn:SubProcess' && node.triggeredByEvent) return 'Event sub-processes are not supported by Weft yet';
  if (node.loopCharacteristics) {
    const what = node.loopCharacteristics.$type === 'bpmn:MultiInstanceLoopCharacteristics' ? 'Multi-instance' : 'Loops';
    return `${what} (${node.loopCharacteristics.$type}) is not supported by Weft yet`;
  }
  return undefined;
}
