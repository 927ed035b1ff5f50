/**
 * Drives one instance through the pure step function, keeping the latest
 * state and the effects of the latest step, so a test reads as
 * "given this state, when this command, then these effects":
 *
 *   const s = scenario(definition).start({ amount: 10 });
 *   s.completeJob('charge', { paid: true });
 *   expect(s.auditTypes()).toEqual([...]);
 */
import { startInstance, step } from '../../../engine/runtime/step.js';
import type { ExecutableProcess } from '../../../engine/model/types.js';
import type {
  AuditEvent,
  AuditType,
  Command,
  Effect,
  ElementInstance,
  IncidentRecord,
  InstanceState,
  Rejection,
  StepContext,
  StepResult,
  Variables,
  WaitRecord,
} from '../../../engine/runtime/types.js';
import { testContext } from './process-builder.js';

export const INSTANCE_ID = 'pi-1';

type EffectOf<T extends Effect['type']> = Extract<Effect, { type: T }>;

export class Scenario {
  state!: InstanceState;
  /** Effects of the latest successful step. */
  effects: Effect[] = [];

  constructor(
    readonly definition: ExecutableProcess,
    readonly ctx: StepContext,
  ) {}

  /** `startAt`: a timer or message start event, as the engine starts there when it fires or a message arrives. */
  start(variables: Variables = {}, startAt?: string): this {
    return this.accept(startInstance(this.definition, { id: INSTANCE_ID, definitionKey: 'def-1', version: 1 }, variables, this.ctx, startAt));
  }

  run(command: Command): this {
    return this.accept(step(this.definition, this.state, command, this.ctx));
  }

  /** Runs a command that must be refused; the state stays as it was. */
  rejected(command: Command): Rejection {
    const result = step(this.definition, this.state, command, this.ctx);
    if (result.ok) throw new Error(`expected ${command.type} to be rejected`);
    return result.rejection;
  }

  completeJob(elementId: string, variables: Variables = {}): this {
    return this.run({ type: 'COMPLETE_JOB', jobKey: this.jobKey(elementId), variables });
  }

  completeTask(elementId: string, variables: Variables = {}): this {
    return this.run({ type: 'COMPLETE_TASK', taskId: this.taskId(elementId), variables });
  }

  /** Fires the open timer that `elementId` (a catch or boundary event) waits on. */
  fireTimer(elementId: string): this {
    return this.run({ type: 'FIRE_TIMER', timerId: this.waitOf(elementId, 'timer').id });
  }

  /** Correlates a message to the open subscription of `elementId` (a catch event, receive task or boundary event). */
  correlate(elementId: string, variables: Variables = {}, messageKey = `m-${elementId}`): this {
    return this.run({ type: 'CORRELATE_MESSAGE', subscriptionId: this.waitOf(elementId, 'message').id, messageKey, variables });
  }

  /** The one open wait whose catching element is `elementId`. */
  waitOf(elementId: string, type: 'timer' | 'message'): WaitRecord {
    const found = Object.values(this.state.waits ?? {}).filter((w) => w.elementId === elementId && w.type === type);
    if (found.length !== 1) throw new Error(`expected one open ${type} of ${elementId}, found ${found.length}`);
    return found[0];
  }

  /** Catching element ids of the open waits, sorted. */
  waits(): string[] {
    return Object.values(this.state.waits ?? {})
      .map((w) => `${w.type}:${w.elementId}`)
      .sort();
  }

  resolve(incidentId = this.incident().id): this {
    return this.run({ type: 'RESOLVE_INCIDENT', incidentId });
  }

  // ---------------------------------------------------------- queries

  /** The one live instance of `elementId`. */
  instanceOf(elementId: string): ElementInstance {
    const all = Object.values(this.state.elements).filter((e) => e.elementId === elementId);
    // A repeating activity has a loop body beside its run; the run is what waits.
    const found = all.length > 1 ? all.filter((e) => !e.loop) : all;
    if (found.length !== 1) throw new Error(`expected one live instance of ${elementId}, found ${found.length}`);
    return found[0];
  }

  jobKey(elementId: string): string {
    const key = this.instanceOf(elementId).jobKey;
    if (!key) throw new Error(`${elementId} waits on no job`);
    return key;
  }

  taskId(elementId: string): string {
    const id = this.instanceOf(elementId).taskId;
    if (!id) throw new Error(`${elementId} waits on no task`);
    return id;
  }

  /** The one open incident. */
  incident(): IncidentRecord {
    const open = Object.values(this.state.incidents);
    if (open.length !== 1) throw new Error(`expected one open incident, found ${open.length}`);
    return open[0];
  }

  rootVariables(): Variables {
    return this.state.elements[INSTANCE_ID].variables ?? {};
  }

  effectsOf<T extends Effect['type']>(type: T): EffectOf<T>[] {
    return this.effects.filter((e): e is EffectOf<T> => e.type === type);
  }

  /** Effect types other than AUDIT, in order. */
  effectTypes(): Effect['type'][] {
    return this.effects.filter((e) => e.type !== 'AUDIT').map((e) => e.type);
  }

  audits(): AuditEvent[] {
    return this.effectsOf('AUDIT').map((e) => e.event);
  }

  auditTypes(): AuditType[] {
    return this.audits().map((e) => e.type);
  }

  /** `TYPE elementId` for each audit event: the readable trace of a step. */
  trace(): string[] {
    return this.audits().map((e) => (e.elementId ? `${e.type} ${e.elementId}` : e.type));
  }

  /** Element ids activated in the latest step, in order. */
  activated(): string[] {
    return this.audits().filter((e) => e.type === 'ELEMENT_ACTIVATED').map((e) => e.elementId!);
  }

  private accept(result: StepResult): this {
    if (!result.ok) throw new Error(`step rejected: ${result.rejection.code} ${result.rejection.message}`);
    this.state = result.state;
    this.effects = result.effects;
    return this;
  }
}

export function scenario(definition: ExecutableProcess, now?: string): Scenario {
  return new Scenario(definition, testContext(now));
}
