/**
 * The shell around the behaviours: one `Run` carries a single step of one
 * instance — the draft state, the effects produced so far, and the agenda of
 * tokens in flight. Everything here is pure data manipulation; no I/O.
 */
import type { ExecutableProcess, FlowElement } from '../model/types.js';
import type {
  AuditEvent,
  Effect,
  ElementInstance,
  IncidentRecord,
  InstanceState,
  StepContext,
  Variables,
} from './types.js';
import { transition } from './lifecycle.js';
import { applyMappings, propagate, setLocal, visibleVariables } from './variables.js';
import { evaluateFeel } from './feel.js';
import { behaviours } from './behaviours/index.js';
import type { Behaviour } from './behaviours/behaviour.js';
import { loopBodyBehaviour } from './behaviours/loop-body-behaviour.js';
import { handlerFinished, recordCompensable } from './compensation.js';
import { closeWaits, openWait } from './waits/waits.js';
import type { WaitRecord } from './types.js';
import { indexOf, type StateIndex } from './state-index.js';

/** Tokens one step may move before the engine calls it a loop without a wait state. */
export const STEP_BUDGET = 10_000;

interface Arrival {
  elementId: string;
  scopeKey: string;
  flowId?: string;
}

export class Run {
  readonly effects: Effect[] = [];
  private readonly agenda: Arrival[] = [];
  private moved = 0;
  /** Scopes ended by a terminate end event: they end TERMINATED rather than COMPLETED. */
  readonly terminatedScopes = new Set<string>();
  /** Where a new instance's token starts, when not at the none start event (a timer or message start event). */
  startAt?: string;
  /** Variables an event brought (a message's), for an element activated by it: its result when it completes. */
  private readonly eventResults = new Map<string, Variables>();
  /** Events that already happened for a catch event a token is on its way to (the event-based gateway's winner), by `elementId@scopeKey`. */
  private readonly happenedOnArrival = new Map<string, Variables>();

  constructor(
    readonly definition: ExecutableProcess,
    readonly state: InstanceState,
    readonly ctx: StepContext,
  ) {
    this.index = indexOf(state);
  }

  /** Children, waits and joins of the state found without touching the rest (state-index.ts). */
  readonly index: StateIndex;

  // ------------------------------------------------------------ helpers

  element(id: string): FlowElement {
    const element = this.definition.elements[id];
    if (!element) throw new Error(`Element ${id} is not in process ${this.definition.id}`);
    return element;
  }

  behaviourOf(element: FlowElement): Behaviour<any> {
    return behaviours[element.kind] as Behaviour<any>;
  }

  /** The behaviour of an element instance: its kind's, or the loop body's for the body of a repeating activity. */
  behaviourFor(instance: ElementInstance): Behaviour<any> {
    return instance.loop ? loopBodyBehaviour : (behaviours[instance.kind] as Behaviour<any>);
  }

  /** Whether `instance` is one run of a repeating activity (a child of its loop body). */
  isRun(instance: ElementInstance): boolean {
    const scope = instance.scopeKey ? this.state.elements[instance.scopeKey] : undefined;
    return scope?.loop !== undefined && scope.elementId === instance.elementId;
  }

  emit(effect: Effect): void {
    this.effects.push(effect);
  }

  audit(type: AuditEvent['type'], instance?: ElementInstance, payload?: Record<string, unknown>): void {
    this.emit({
      type: 'AUDIT',
      event: { type, elementId: instance?.elementId, elementInstanceKey: instance?.key, payload },
    });
  }

  variablesFor(instance: ElementInstance): Variables {
    return visibleVariables(this.state, instance.key);
  }

  /**
   * The variables handed out with work (a job, an inbox task): those visible,
   * except, for one run of a multi-instance, the input collection it was
   * taken from and the output collection being filled — the run has its own
   * item, and N runs each carrying N-long lists would store N² values.
   */
  variablesForWork(instance: ElementInstance): Variables {
    const variables = this.variablesFor(instance);
    if (!this.isRun(instance)) return variables;
    const loop = this.element(instance.elementId).loop;
    if (loop?.type !== 'multiInstance') return variables;
    const input = loop.inputCollection?.trim();
    if (input && /^[\p{L}_][\p{L}\p{N}_]*$/u.test(input)) delete variables[input];
    if (loop.outputCollection) delete variables[loop.outputCollection];
    return variables;
  }

  /** Live children of a scope instance. */
  children(scopeKey: string): ElementInstance[] {
    return this.index.childKeys(scopeKey).map((key) => this.state.elements[key]);
  }

  /** How many live children a scope instance has (touches none of them). */
  childCount(scopeKey: string): number {
    return this.index.childCount(scopeKey);
  }

  /** Sets variables with propagation from `key` and records each write. */
  setVariables(key: string, variables: Variables): void {
    if (Object.keys(variables).length === 0) return;
    const writes = propagate(this.state, key, variables);
    for (const [scopeKey, vars] of Object.entries(writes)) {
      this.emit({ type: 'AUDIT', event: { type: 'VARIABLES_SET', elementInstanceKey: scopeKey, payload: { variables: vars } } });
    }
  }

  // ------------------------------------------------------------ tokens

  /** A token leaves towards `elementId` inside `scopeKey`; it is handled when the agenda reaches it. */
  send(elementId: string, scopeKey: string, flowId?: string): void {
    this.agenda.push({ elementId, scopeKey, flowId });
  }

  /** Whether a token is on its way into `scopeKey` (sent, not yet arrived). */
  pendingIn(scopeKey: string): boolean {
    return this.agenda.some((a) => a.scopeKey === scopeKey);
  }

  /** Moves every queued token until each rests in a wait state or has ended. */
  drain(): void {
    for (;;) {
      while (this.agenda.length > 0) {
        const arrival = this.agenda.shift()!;
        const scope = this.state.elements[arrival.scopeKey];
        if (!scope || scope.state !== 'ACTIVE') continue; // scope ended (terminate end event, cancel)
        if (++this.moved > STEP_BUDGET) {
          this.loopLimit(scope, arrival);
          return;
        }
        const element = this.element(arrival.elementId);
        const behaviour = this.behaviourOf(element);
        if (behaviour.arrive) behaviour.arrive(this, element, scope, arrival.flowId);
        else this.activateElement(element, scope, arrival.flowId);
      }
      if (!this.fireIdleJoins()) return;
    }
  }

  private fireIdleJoins(): boolean {
    for (const key of this.index.scopesWithJoins()) {
      const scope = this.state.elements[key];
      if (!scope.joins || scope.state !== 'ACTIVE') continue;
      for (const gatewayId of Object.keys(scope.joins)) {
        const element = this.element(gatewayId);
        const behaviour = this.behaviourOf(element);
        if (behaviour.idle?.(this, element, scope)) return true;
      }
    }
    return false;
  }

  private loopLimit(scope: ElementInstance, arrival: Arrival): void {
    this.agenda.length = 0;
    const instance = this.createInstance(this.element(arrival.elementId), scope, arrival.flowId);
    this.openIncident(instance, {
      type: 'LOOP_LIMIT',
      message: `More than ${STEP_BUDGET} elements ran without reaching a wait state; the process loops without waiting`,
      retry: 'activate',
    });
  }

  private createInstance(element: FlowElement, scope: ElementInstance, flowId?: string): ElementInstance {
    const instance: ElementInstance = {
      key: String(this.state.nextKey++),
      elementId: element.id,
      kind: element.kind,
      state: 'ACTIVATING',
      scopeKey: scope.key,
    };
    this.state.elements[instance.key] = instance;
    this.audit('ELEMENT_ACTIVATED', instance, { kind: element.kind, flowId, scopeKey: scope.key });
    return instance;
  }

  /**
   * Creates an element instance in `scope` and runs its activation. For a
   * repeating activity that is its loop body, which then starts the runs.
   */
  activateElement(element: FlowElement, scope: ElementInstance, flowId?: string): ElementInstance {
    const instance = this.createInstance(element, scope, flowId);
    if (element.loop) instance.loop = { type: element.loop.type, started: 0, completed: 0, terminated: 0 };
    this.runActivation(instance);
    return instance;
  }

  /** Starts a compensation handler in `scope` with the variables its activity had, on behalf of the event `throwerKey`. */
  activateHandler(handler: FlowElement, scope: ElementInstance, variables: Variables, throwerKey: string): ElementInstance {
    const instance = this.createInstance(handler, scope);
    instance.compensationFor = throwerKey;
    if (Object.keys(variables).length > 0) {
      setLocal(instance, variables);
      this.audit('VARIABLES_SET', instance, { variables, local: true });
    }
    this.runActivation(instance);
    return instance;
  }

  /** Starts one run of a repeating activity inside its loop body, with its local variables (loopCounter, the item). */
  activateRun(element: FlowElement, body: ElementInstance, variables: Variables): ElementInstance {
    const instance = this.createInstance(element, body);
    setLocal(instance, variables);
    this.audit('VARIABLES_SET', instance, { variables, local: true });
    this.runActivation(instance);
    return instance;
  }

  /** Like activateElement, with local variables set before the input mappings (an ad-hoc activity's inputs chosen by the agent). */
  activateElementWith(element: FlowElement, scope: ElementInstance, variables: Variables): ElementInstance {
    const instance = this.createInstance(element, scope);
    if (Object.keys(variables).length > 0) {
      setLocal(instance, variables);
      this.audit('VARIABLES_SET', instance, { variables, local: true });
    }
    this.runActivation(instance);
    return instance;
  }

  /**
   * Activates an element because an event happened (a boundary event, an
   * event sub-process start): `variables` (a message's) become its result
   * when it completes (see eventResult).
   */
  activateTriggered(element: FlowElement, scope: ElementInstance, variables: Variables): ElementInstance {
    const instance = this.createInstance(element, scope);
    if (Object.keys(variables).length > 0) this.eventResults.set(instance.key, variables);
    this.runActivation(instance);
    return instance;
  }

  /**
   * Records that the event a catch event waits for has already happened (an
   * event-based gateway's winner): when the token sent to it arrives in
   * `scopeKey`, it completes with `variables` instead of waiting.
   */
  happenedBeforeArrival(elementId: string, scopeKey: string, variables: Variables): void {
    this.happenedOnArrival.set(`${elementId}@${scopeKey}`, variables);
  }

  /** The variables of an event that happened before `instance` arrived (see happenedBeforeArrival), once; undefined if none did. */
  happenedEvent(instance: ElementInstance): Variables | undefined {
    const id = `${instance.elementId}@${instance.scopeKey}`;
    const variables = this.happenedOnArrival.get(id);
    this.happenedOnArrival.delete(id);
    return variables;
  }

  /** The variables of the event that activated `instance`, once (see activateTriggered). */
  eventResult(instance: ElementInstance): Variables {
    const result = this.eventResults.get(instance.key) ?? {};
    this.eventResults.delete(instance.key);
    return result;
  }

  /**
   * Input mappings, the waits of attached boundary events, then the
   * behaviour's activate. Re-run when an activation incident is resolved.
   */
  runActivation(instance: ElementInstance): void {
    const element = this.element(instance.elementId);
    // A loop body has no mappings of its own: each run applies the activity's.
    if (element.inputs.length > 0 && !instance.loop) {
      const mapped = applyMappings(element.inputs, this.variablesFor(instance), this.ctx.now);
      if (!mapped.ok) {
        this.openIncident(instance, { type: 'IO_MAPPING_FAILED', message: `Input mapping to '${mapped.target}' failed: ${mapped.message}`, retry: 'activate' });
        return;
      }
      setLocal(instance, mapped.variables);
      this.audit('VARIABLES_SET', instance, { variables: mapped.variables, local: true });
    }
    if (instance.state === 'ACTIVATING') transition(instance, 'ACTIVE');
    const boundaryWaits = this.boundaryWaits(element, instance);
    if (!boundaryWaits) return;
    this.behaviourFor(instance).activate(this, element, instance);
    // Opened only if the activity still runs: one that completed at once needs no timer.
    if (this.state.elements[instance.key] !== instance || instance.state !== 'ACTIVE' || instance.incidentId) return;
    for (const wait of boundaryWaits) openWait(this, wait);
  }

  /**
   * The waits `host` opens as it becomes active — its boundary events', and
   * for a scope its event sub-processes' start events' — evaluated; null when
   * one failed (an incident holds the host).
   */
  private boundaryWaits(element: FlowElement, host: ElementInstance): WaitRecord[] | null {
    const waits: WaitRecord[] = [];
    // A repeating activity's boundary events belong to its body; the scope of its event sub-processes is each run.
    const boundaries = this.isRun(host) ? [] : (element.boundaryEvents ?? []);
    const starts = 'eventSubProcesses' in element && !host.loop ? (element.eventSubProcesses ?? []).map((id) => (this.element(id) as FlowElement & { startEventId: string }).startEventId) : [];
    for (const id of [...boundaries, ...starts]) {
      const boundary = this.element(id);
      const prepared = this.behaviourOf(boundary).waitOn?.(this, boundary, host);
      if (!prepared) continue;
      if (!prepared.ok) {
        this.openIncident(host, { type: 'EXPRESSION_FAILED', message: prepared.message, retry: 'activate' });
        return null;
      }
      waits.push(prepared.wait);
    }
    return waits;
  }

  /**
   * Completes an element: result variables (a job's or task's), output
   * mappings, then the token leaves by `flows` (default: every outgoing flow
   * whose condition holds).
   */
  complete(instance: ElementInstance, options: { result?: Variables; flows?: string[] } = {}): void {
    const element = this.element(instance.elementId);
    if (instance.state === 'ACTIVE') transition(instance, 'COMPLETING');
    const result = options.result ?? {};
    const scope = instance.scopeKey ? this.state.elements[instance.scopeKey] : undefined;
    const body = scope?.loop && scope.elementId === instance.elementId ? scope : undefined;
    if (scope && !body) {
      const container = this.element(scope.elementId);
      this.behaviourFor(scope).childCompleted?.(this, container, scope, instance, result);
    }
    if (instance.loop) {
      // A loop body hands its output collection to its scope; the runs applied the mappings.
      this.setVariables(instance.scopeKey!, result);
    } else if (element.outputs.length > 0) {
      setLocal(instance, result);
      const mapped = applyMappings(element.outputs, this.variablesFor(instance), this.ctx.now);
      if (!mapped.ok) {
        this.openIncident(instance, {
          type: 'IO_MAPPING_FAILED',
          message: `Output mapping to '${mapped.target}' failed: ${mapped.message}`,
          retry: 'complete',
          pendingVariables: result,
        });
        return;
      }
      this.setVariables(instance.scopeKey!, mapped.variables);
    } else {
      this.setVariables(instance.key, result);
    }
    let flows = options.flows;
    if (body) {
      // A run leaves by no flow: its body counts it and decides what comes next.
      const failed = loopBodyBehaviour.innerCompleted(this, element as never, body, instance);
      if (failed) {
        this.openIncident(instance, { type: 'EXPRESSION_FAILED', message: failed, retry: 'complete', pendingVariables: result });
        return;
      }
      flows = [];
    }
    if (!flows) {
      const chosen = this.conditionalFlows(instance, element.outgoing);
      if (!chosen) return; // an incident holds the element
      flows = chosen;
    }
    transition(instance, 'COMPLETED');
    closeWaits(this, instance);
    recordCompensable(this, element, instance);
    delete this.state.elements[instance.key];
    this.audit('ELEMENT_COMPLETED', instance, { kind: element.kind });
    if (instance.compensationFor) handlerFinished(this, instance);
    this.leave(instance, flows);
  }

  /**
   * Outgoing flows of an activity: unconditional ones, and conditional ones
   * that hold; the default flow when none of the others is taken. With
   * conditions only, none holding and no default, an incident holds the
   * activity (as an exclusive gateway's would).
   */
  private conditionalFlows(instance: ElementInstance, outgoing: string[]): string[] | null {
    const taken: string[] = [];
    const { defaultFlow } = this.element(instance.elementId);
    for (const flowId of outgoing) {
      if (flowId === defaultFlow) continue;
      const flow = this.definition.flows[flowId];
      if (!flow.condition) {
        taken.push(flowId);
        continue;
      }
      const holds = this.evaluateCondition(instance, flowId);
      if (holds === null) return null;
      if (holds) taken.push(flowId);
    }
    if (taken.length > 0) return taken;
    if (defaultFlow) return [defaultFlow];
    if (outgoing.length > 0) {
      this.openIncident(instance, {
        type: 'CONDITION_FAILED',
        message: `No outgoing sequence flow of '${instance.elementId}' has a condition that holds, and it has no default flow`,
        retry: 'complete',
      });
      return null;
    }
    return taken;
  }

  /** true/false, or null when the condition failed and an incident was opened. */
  evaluateCondition(instance: ElementInstance, flowId: string): boolean | null {
    const flow = this.definition.flows[flowId];
    if (!flow.condition) return true;
    const result = evaluateFeelCondition(flow.condition, this.variablesFor(instance), this.ctx.now);
    if (result.ok) return result.value;
    this.openIncident(instance, {
      type: 'CONDITION_FAILED',
      message: `Condition of sequence flow '${flowId}' failed: ${result.message}`,
      retry: instance.state === 'COMPLETING' ? 'complete' : 'activate',
    });
    return null;
  }

  private leave(instance: ElementInstance, flows: string[]): void {
    for (const flowId of flows) {
      const flow = this.definition.flows[flowId];
      this.emit({ type: 'AUDIT', event: { type: 'FLOW_TAKEN', elementId: flowId, payload: { from: flow.sourceRef, to: flow.targetRef } } });
      this.send(flow.targetRef, instance.scopeKey!, flowId);
    }
    if (flows.length === 0) this.scopeMayBeEmpty(instance.scopeKey!);
  }

  /** After a token ended inside `scopeKey`: complete the scope when nothing is left in it. */
  scopeMayBeEmpty(scopeKey: string): void {
    const scope = this.state.elements[scopeKey];
    if (!scope || scope.state !== 'ACTIVE') return;
    if (this.childCount(scopeKey) > 0) return;
    if (this.pendingIn(scopeKey)) return;
    if (scope.joins && Object.keys(scope.joins).length > 0) return;
    const element = this.element(scope.elementId);
    this.behaviourFor(scope).scopeEmpty?.(this, element, scope);
  }

  // ------------------------------------------------------------ termination

  /** Terminates an element instance and everything inside it. */
  terminate(instance: ElementInstance): void {
    if (instance.state === 'TERMINATED' || instance.state === 'COMPLETED') return;
    transition(instance, 'TERMINATING');
    for (const child of this.children(instance.key)) this.terminate(child);
    delete instance.joins;
    const element = this.element(instance.elementId);
    this.behaviourFor(instance).terminate?.(this, element, instance);
    closeWaits(this, instance);
    if (instance.incidentId) this.resolveIncidentRecord(instance.incidentId, 'element terminated');
    transition(instance, 'TERMINATED');
    if (instance.key !== this.state.id) delete this.state.elements[instance.key];
    this.audit('ELEMENT_TERMINATED', instance, { kind: element.kind });
  }

  /** Terminates every token inside `scope` (terminate end event) without ending the scope itself. */
  terminateChildren(scope: ElementInstance, exceptKey?: string): void {
    for (const child of this.children(scope.key)) if (child.key !== exceptKey) this.terminate(child);
    delete scope.joins;
    for (let i = this.agenda.length - 1; i >= 0; i--) if (this.agenda[i].scopeKey === scope.key) this.agenda.splice(i, 1);
  }

  /**
   * Ends the whole instance with `status`. An instance started by a call
   * activity tells its parent it completed (a terminate end event counts as
   * completing), with its root variables, unless `notifyParent` is false
   * (it was canceled, or the parent hears of an error instead).
   */
  endInstance(status: 'COMPLETED' | 'TERMINATED' | 'CANCELED', options: { notifyParent?: boolean } = {}): void {
    this.state.status = status;
    this.emit({ type: 'INSTANCE_ENDED', status });
    this.audit(status === 'COMPLETED' ? 'INSTANCE_COMPLETED' : status === 'TERMINATED' ? 'INSTANCE_TERMINATED' : 'INSTANCE_CANCELED');
    const parent = this.state.parent;
    if (parent && status !== 'CANCELED' && options.notifyParent !== false) {
      const variables = { ...(this.state.elements[this.state.id]?.variables ?? {}) };
      this.emit({ type: 'NOTIFY_PARENT', parent, outcome: { type: 'completed', variables } });
    }
  }

  // ------------------------------------------------------------ incidents

  openIncident(instance: ElementInstance, incident: Omit<IncidentRecord, 'id' | 'elementId' | 'elementInstanceKey'>): void {
    const record: IncidentRecord = { id: this.ctx.newId(), elementId: instance.elementId, elementInstanceKey: instance.key, ...incident };
    this.state.incidents[record.id] = record;
    instance.incidentId = record.id;
    this.emit({ type: 'OPEN_INCIDENT', incident: record });
    this.audit('INCIDENT_OPENED', instance, { incidentId: record.id, incidentType: record.type, message: record.message });
  }

  resolveIncidentRecord(id: string, reason: string): void {
    const incident = this.state.incidents[id];
    if (!incident) return;
    delete this.state.incidents[id];
    const instance = this.state.elements[incident.elementInstanceKey];
    if (instance?.incidentId === id) delete instance.incidentId;
    this.emit({ type: 'RESOLVE_INCIDENT', incidentId: id });
    this.emit({ type: 'AUDIT', event: { type: 'INCIDENT_RESOLVED', elementId: incident.elementId, elementInstanceKey: incident.elementInstanceKey, payload: { incidentId: id, reason } } });
  }
}

function evaluateFeelCondition(expression: string, context: Variables, now: string): { ok: true; value: boolean } | { ok: false; message: string } {
  const result = evaluateFeel(expression, context, now);
  if (!result.ok) return result;
  if (typeof result.value !== 'boolean') {
    return { ok: false, message: `expected a boolean but '${expression}' gave ${JSON.stringify(result.value)}` };
  }
  return { ok: true, value: result.value };
}
