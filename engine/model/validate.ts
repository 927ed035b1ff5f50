/**
 * Rules about how compiled elements and flows fit together, checked once a
 * whole process is compiled: start and end events, default flows, and where
 * conditions are required or not allowed.
 */
import type { ElementKind, ExecutableProcess, FlowElement } from './types.js';
import type { Problems } from './problems.js';

/** The BPMN kind as written, for problems about compiled elements. */
const BPMN_TYPE: Record<ElementKind, string> = {
  process: 'bpmn:Process',
  subProcess: 'bpmn:SubProcess',
  startEvent: 'bpmn:StartEvent',
  endEvent: 'bpmn:EndEvent',
  terminateEndEvent: 'bpmn:EndEvent',
  exclusiveGateway: 'bpmn:ExclusiveGateway',
  parallelGateway: 'bpmn:ParallelGateway',
  inclusiveGateway: 'bpmn:InclusiveGateway',
  serviceTask: 'bpmn:ServiceTask',
  userTask: 'bpmn:UserTask',
  scriptTask: 'bpmn:ScriptTask',
  task: 'bpmn:Task',
  manualTask: 'bpmn:ManualTask',
  errorBoundaryEvent: 'bpmn:BoundaryEvent',
  adHocSubProcess: 'bpmn:AdHocSubProcess',
  timerStartEvent: 'bpmn:StartEvent',
  messageStartEvent: 'bpmn:StartEvent',
  timerCatchEvent: 'bpmn:IntermediateCatchEvent',
  messageCatchEvent: 'bpmn:IntermediateCatchEvent',
  receiveTask: 'bpmn:ReceiveTask',
  timerBoundaryEvent: 'bpmn:BoundaryEvent',
  messageBoundaryEvent: 'bpmn:BoundaryEvent',
  messageThrowEvent: 'bpmn:IntermediateThrowEvent',
  messageEndEvent: 'bpmn:EndEvent',
  intermediateThrowEvent: 'bpmn:IntermediateThrowEvent',
  sendTask: 'bpmn:SendTask',
};

const START_EVENTS: ReadonlySet<ElementKind> = new Set(['startEvent', 'timerStartEvent', 'messageStartEvent']);
const END_EVENTS: ReadonlySet<ElementKind> = new Set(['endEvent', 'terminateEndEvent', 'messageEndEvent']);
const BOUNDARY_EVENTS: ReadonlySet<ElementKind> = new Set(['errorBoundaryEvent', 'timerBoundaryEvent', 'messageBoundaryEvent']);

/** Activities an event can be attached to. */
const ACTIVITIES: ReadonlySet<ElementKind> = new Set(['serviceTask', 'userTask', 'scriptTask', 'task', 'manualTask', 'receiveTask', 'sendTask', 'subProcess', 'adHocSubProcess']);

type Graph = Pick<ExecutableProcess, 'elements' | 'flows'>;

export function validate(graph: Graph, problems: Problems): void {
  for (const element of Object.values(graph.elements)) {
    const where = (field?: string) => ({ elementId: element.id, elementKind: BPMN_TYPE[element.kind], field });
    if (START_EVENTS.has(element.kind) && element.incoming.length > 0) {
      problems.add(where(), `Start event "${element.id}" cannot have incoming sequence flows`);
    }
    if (END_EVENTS.has(element.kind) && element.outgoing.length > 0) {
      problems.add(where(), `End event "${element.id}" cannot have outgoing sequence flows`);
    }
    if (element.kind === 'exclusiveGateway' || element.kind === 'inclusiveGateway') {
      checkDecision(element, graph, problems);
    }
    if (element.kind === 'errorBoundaryEvent' || element.kind === 'timerBoundaryEvent' || element.kind === 'messageBoundaryEvent') {
      if (element.incoming.length > 0) problems.add(where(), `Boundary event "${element.id}" cannot have incoming sequence flows`);
      const host = graph.elements[element.attachedTo];
      if (!host || !ACTIVITIES.has(host.kind) || host.parent !== element.parent) {
        problems.add(where('attachedToRef'), `Boundary event "${element.id}" must be attached to an activity in the same scope, not "${element.attachedTo}"`);
      }
    }
  }
  checkConditionSources(graph, problems);
  checkMessageStartNames(graph, problems);
}

/**
 * A process's message start events listen to different message names (as in
 * Camunda 8): a published message starts the process at most once, so two
 * start events for one name could not both be reached.
 */
function checkMessageStartNames(graph: Graph, problems: Problems): void {
  const first = new Map<string, string>();
  for (const element of Object.values(graph.elements)) {
    if (element.kind !== 'messageStartEvent' || !('value' in element.message.name)) continue;
    const name = element.message.name.value;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, element.id);
    else problems.add({ elementId: element.id, elementKind: BPMN_TYPE[element.kind], field: 'bpmn:Message.name' }, `Start events "${earlier}" and "${element.id}" both wait for the message '${name}'; each message start event of a process needs its own message name`);
  }
}

/** A forking exclusive/inclusive gateway needs a condition on every flow but its default (as in Zeebe). */
function checkDecision(gateway: FlowElement & { defaultFlow?: string }, graph: Graph, problems: Problems): void {
  const kind = BPMN_TYPE[gateway.kind];
  if (gateway.defaultFlow !== undefined && !gateway.outgoing.includes(gateway.defaultFlow)) {
    problems.add(
      { elementId: gateway.id, elementKind: kind, field: 'default' },
      `The default flow "${gateway.defaultFlow}" of gateway "${gateway.id}" is not one of its outgoing flows`,
    );
  }
  if (gateway.outgoing.length < 2) return;
  for (const id of gateway.outgoing) {
    if (id === gateway.defaultFlow || graph.flows[id].condition !== undefined) continue;
    problems.add(
      { elementId: id, elementKind: 'bpmn:SequenceFlow', field: 'conditionExpression' },
      `Sequence flow "${id}" leaves the forking ${kind} "${gateway.id}" without a condition and is not its default flow`,
    );
  }
}

/** Conditions are evaluated only where a gateway decides; elsewhere they would be silently ignored. */
function checkConditionSources(graph: Graph, problems: Problems): void {
  for (const flow of Object.values(graph.flows)) {
    if (flow.condition === undefined) continue;
    const source = graph.elements[flow.sourceRef];
    if (source.kind === 'exclusiveGateway' || source.kind === 'inclusiveGateway') continue;
    problems.add(
      { elementId: flow.id, elementKind: 'bpmn:SequenceFlow', field: 'conditionExpression' },
      `Sequence flow "${flow.id}" has a condition but leaves ${BPMN_TYPE[source.kind]} "${source.id}"; Weft evaluates conditions only on flows leaving exclusive or inclusive gateways`,
    );
  }
}
