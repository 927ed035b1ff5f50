/**
 * Rules about how compiled elements and flows fit together, checked once a
 * whole process is compiled: start and end events, default flows, and where
 * conditions are required or not allowed.
 */
import type { ElementKind, ExecutableProcess, FlowElement } from './types.js';
import type { Problems } from './problems.js';
import { lostOutgoing } from './transformers/sequence-flow-transformer.js';

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
  errorEndEvent: 'bpmn:EndEvent',
  escalationThrowEvent: 'bpmn:IntermediateThrowEvent',
  escalationEndEvent: 'bpmn:EndEvent',
  escalationBoundaryEvent: 'bpmn:BoundaryEvent',
  linkThrowEvent: 'bpmn:IntermediateThrowEvent',
  linkCatchEvent: 'bpmn:IntermediateCatchEvent',
  eventBasedGateway: 'bpmn:EventBasedGateway',
  eventSubProcess: 'bpmn:SubProcess',
  errorStartEvent: 'bpmn:StartEvent',
  escalationStartEvent: 'bpmn:StartEvent',
  signalStartEvent: 'bpmn:StartEvent',
  signalCatchEvent: 'bpmn:IntermediateCatchEvent',
  signalBoundaryEvent: 'bpmn:BoundaryEvent',
  signalThrowEvent: 'bpmn:IntermediateThrowEvent',
  signalEndEvent: 'bpmn:EndEvent',
  callActivity: 'bpmn:CallActivity',
  compensationBoundaryEvent: 'bpmn:BoundaryEvent',
  compensationThrowEvent: 'bpmn:IntermediateThrowEvent',
  compensationEndEvent: 'bpmn:EndEvent',
  transaction: 'bpmn:Transaction',
  cancelEndEvent: 'bpmn:EndEvent',
  cancelBoundaryEvent: 'bpmn:BoundaryEvent',
  businessRuleTask: 'bpmn:BusinessRuleTask',
};

const START_EVENTS: ReadonlySet<ElementKind> = new Set(['startEvent', 'timerStartEvent', 'messageStartEvent', 'errorStartEvent', 'escalationStartEvent', 'signalStartEvent']);
const END_EVENTS: ReadonlySet<ElementKind> = new Set(['endEvent', 'terminateEndEvent', 'messageEndEvent', 'errorEndEvent', 'escalationEndEvent', 'signalEndEvent', 'compensationEndEvent', 'cancelEndEvent']);
const BOUNDARY_EVENTS: ReadonlySet<ElementKind> = new Set(['errorBoundaryEvent', 'timerBoundaryEvent', 'messageBoundaryEvent', 'escalationBoundaryEvent', 'signalBoundaryEvent', 'compensationBoundaryEvent', 'cancelBoundaryEvent']);
/** What may follow an event-based gateway: the events it waits for. */
const GATEWAY_EVENTS: ReadonlySet<ElementKind> = new Set(['timerCatchEvent', 'messageCatchEvent', 'signalCatchEvent']);

/** Activities an event can be attached to. */
const ACTIVITIES: ReadonlySet<ElementKind> = new Set(['serviceTask', 'userTask', 'scriptTask', 'businessRuleTask', 'task', 'manualTask', 'receiveTask', 'sendTask', 'callActivity', 'subProcess', 'adHocSubProcess', 'transaction']);

type Graph = Pick<ExecutableProcess, 'elements' | 'flows'>;

/**
 * `unsupported`: ids of elements and flows left out with a problem already
 * reported (see TransformContext); a rule that only fails for their absence
 * is not reported again.
 */
export function validate(graph: Graph, problems: Problems, unsupported: ReadonlySet<string>): void {
  for (const element of Object.values(graph.elements)) {
    const where = (field?: string) => ({ elementId: element.id, elementKind: BPMN_TYPE[element.kind], field });
    if (START_EVENTS.has(element.kind) && element.incoming.length > 0) {
      problems.add(where(), `Start event "${element.id}" cannot have incoming sequence flows`);
    }
    if (END_EVENTS.has(element.kind) && element.outgoing.length > 0) {
      problems.add(where(), `End event "${element.id}" cannot have outgoing sequence flows`);
    }
    if (element.kind === 'exclusiveGateway' || element.kind === 'inclusiveGateway') {
      checkDecision(element, graph, problems, unsupported);
    }
    if (element.kind === 'eventBasedGateway' && !unsupported.has(lostOutgoing(element.id))) checkEventGateway(element, graph, problems);
    if (element.kind === 'compensationBoundaryEvent') checkCompensation(element, graph, problems);
    if (element.forCompensation && (element.incoming.length > 0 || element.outgoing.length > 0)) {
      problems.add(where(), `Compensation handler "${element.id}" cannot have sequence flows: it runs only when its activity is compensated`);
    }
    if (element.kind === 'cancelBoundaryEvent' && graph.elements[element.attachedTo] && graph.elements[element.attachedTo].kind !== 'transaction') {
      problems.add(where('attachedToRef'), `Cancel boundary event "${element.id}" must be attached to a transaction`);
    }
    if (element.kind === 'eventSubProcess' && (element.incoming.length > 0 || element.outgoing.length > 0)) {
      problems.add(where(), `Event sub-process "${element.id}" cannot have sequence flows: its start event's event starts it`);
    }
    if (element.kind === 'linkCatchEvent' && element.incoming.length > 0) {
      problems.add(where(), `Link catch event "${element.id}" cannot have incoming sequence flows: tokens arrive by its link throw event`);
    }
    if (element.kind === 'linkThrowEvent' && element.outgoing.length > 0) {
      problems.add(where(), `Link throw event "${element.id}" cannot have outgoing sequence flows: the token continues at the link catch event "${element.linkName}"`);
    }
    if (BOUNDARY_EVENTS.has(element.kind) && 'attachedTo' in element) {
      if (element.incoming.length > 0) problems.add(where(), `Boundary event "${element.id}" cannot have incoming sequence flows`);
      const host = graph.elements[element.attachedTo];
      if (!unsupported.has(element.attachedTo) && (!host || !ACTIVITIES.has(host.kind) || host.parent !== element.parent)) {
        problems.add(where('attachedToRef'), `Boundary event "${element.id}" must be attached to an activity in the same scope, not "${element.attachedTo}"`);
      }
    }
  }
  checkConditionSources(graph, problems);
  checkMessageStartNames(graph, problems);
}

/**
 * A process's message (and signal) start events listen to different names
 * (as in Camunda 8): a published message starts the process at most once,
 * so two start events for one name could not both be reached; a broadcast
 * would start the process twice. Event sub-processes' start events are their
 * scopes' own and are not compared.
 */
function checkMessageStartNames(graph: Graph, problems: Problems): void {
  const root = Object.values(graph.elements).find((e) => e.kind === 'process');
  const first = new Map<string, string>();
  for (const element of Object.values(graph.elements)) {
    if (element.parent !== root?.id) continue;
    const named = element.kind === 'messageStartEvent' ? element.message.name : element.kind === 'signalStartEvent' ? element.signal.name : undefined;
    if (!named || !('value' in named)) continue;
    const what = element.kind === 'messageStartEvent' ? 'message' : 'signal';
    const key = `${what}:${named.value}`;
    const earlier = first.get(key);
    const field = what === 'message' ? 'bpmn:Message.name' : 'bpmn:Signal.name';
    if (earlier === undefined) first.set(key, element.id);
    else problems.add({ elementId: element.id, elementKind: BPMN_TYPE[element.kind], field }, `Start events "${earlier}" and "${element.id}" both wait for the ${what} '${named.value}'; each ${what} start event of a process needs its own ${what} name`);
  }
}

/** A forking exclusive/inclusive gateway needs a condition on every flow but its default (as in Zeebe). */
function checkDecision(gateway: FlowElement & { defaultFlow?: string }, graph: Graph, problems: Problems, unsupported: ReadonlySet<string>): void {
  const kind = BPMN_TYPE[gateway.kind];
  const { defaultFlow } = gateway;
  if (defaultFlow !== undefined && !gateway.outgoing.includes(defaultFlow) && !unsupported.has(defaultFlow)) {
    problems.add(
      { elementId: gateway.id, elementKind: kind, field: 'default' },
      `The default flow "${defaultFlow}" of gateway "${gateway.id}" is not one of its outgoing flows`,
    );
  }
  if (gateway.outgoing.length < 2) return;
  for (const id of gateway.outgoing) {
    if (id === defaultFlow || graph.flows[id].condition !== undefined) continue;
    problems.add(
      { elementId: id, elementKind: 'bpmn:SequenceFlow', field: 'conditionExpression' },
      `Sequence flow "${id}" leaves the forking ${kind} "${gateway.id}" without a condition and is not its default flow`,
    );
  }
}

/**
 * An event-based gateway waits for the events after it: at least two, each a
 * timer or message catch event reached only from this gateway (as in
 * Camunda 8), on unconditional flows.
 */
function checkEventGateway(gateway: FlowElement, graph: Graph, problems: Problems): void {
  const where = { elementId: gateway.id, elementKind: 'bpmn:EventBasedGateway' };
  if (gateway.outgoing.length < 2) {
    problems.add(where, `Event-based gateway "${gateway.id}" needs at least two outgoing flows, each to an event it waits for`);
  }
  const targets = new Set(gateway.outgoing.map((flowId) => graph.flows[flowId].targetRef));
  for (const targetId of targets) {
    const target = graph.elements[targetId];
    if (!GATEWAY_EVENTS.has(target.kind)) {
      problems.add(
        { elementId: target.id, elementKind: BPMN_TYPE[target.kind] },
        `"${target.id}" follows event-based gateway "${gateway.id}" but is not a timer, message or signal intermediate catch event`,
      );
    } else if (target.incoming.some((flowId) => graph.flows[flowId].sourceRef !== gateway.id)) {
      // BPMN lets the gateway reach one event by several flows; only flows from elsewhere are refused.
      problems.add(
        { elementId: target.id, elementKind: BPMN_TYPE[target.kind] },
        `Catch event "${target.id}" after event-based gateway "${gateway.id}" must have no incoming flow from anywhere else`,
      );
    }
  }
}

/** A compensation boundary event has no flows, and its handler is a compensation handler beside its activity. */
function checkCompensation(boundary: FlowElement & { handler: string }, graph: Graph, problems: Problems): void {
  const where = { elementId: boundary.id, elementKind: 'bpmn:BoundaryEvent' };
  if (boundary.outgoing.length > 0) problems.add(where, `Compensation boundary event "${boundary.id}" cannot have outgoing flows: its handler is linked by an association`);
  const handler = graph.elements[boundary.handler];
  if (!handler || handler.parent !== boundary.parent || !handler.forCompensation) {
    problems.add(where, `The compensation handler "${boundary.handler}" of "${boundary.id}" must be an activity marked isForCompensation in the same scope`);
  }
}

/** Conditions are evaluated only where a gateway decides; elsewhere they would be silently ignored. */
function checkConditionSources(graph: Graph, problems: Problems): void {
  for (const flow of Object.values(graph.flows)) {
    if (flow.condition === undefined) continue;
    const source = graph.elements[flow.sourceRef];
    if (source.kind === 'exclusiveGateway' || source.kind === 'inclusiveGateway') continue;
    // BPMN's conditional sequence flow: an activity takes it when its condition holds.
    if (ACTIVITIES.has(source.kind)) {
      if (source.defaultFlow === flow.id) {
        problems.add({ elementId: flow.id, elementKind: 'bpmn:SequenceFlow', field: 'conditionExpression' }, `Sequence flow "${flow.id}" is the default flow of "${source.id}" and cannot have a condition`);
      }
      continue;
    }
    problems.add(
      { elementId: flow.id, elementKind: 'bpmn:SequenceFlow', field: 'conditionExpression' },
      `Sequence flow "${flow.id}" has a condition but leaves ${BPMN_TYPE[source.kind]} "${source.id}"; Weft evaluates conditions only on flows leaving gateways and activities`,
    );
  }
  for (const element of Object.values(graph.elements)) {
    if (!ACTIVITIES.has(element.kind) || element.defaultFlow === undefined) continue;
    if (!element.outgoing.includes(element.defaultFlow)) {
      problems.add({ elementId: element.id, elementKind: BPMN_TYPE[element.kind], field: 'default' }, `The default flow "${element.defaultFlow}" of "${element.id}" is not one of its outgoing flows`);
    }
  }
}
