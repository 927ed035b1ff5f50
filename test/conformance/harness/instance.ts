/**
 * One process instance run by the harness: its state, moved only by Weft's
 * pure step function, and what a test asks about it (open tasks, active
 * elements, the order elements completed in, whether it ended).
 */
import type { ExecutableProcess } from '../../../engine/model/types.js';
import { step } from '../../../engine/runtime/step.js';
import type { AuditEvent, Command, Effect, InstanceState, StepResult, TaskSpec, Variables } from '../../../engine/runtime/types.js';
import type { World } from './world.js';
import { notExecutableYet } from './not-executable.js';

export interface OpenTask {
  id: string;
  elementId: string;
  name: string;
  assignee?: string;
  candidateGroups: string[];
}

export class Instance {
  /** The audit events of every step, in order. */
  readonly events: AuditEvent[] = [];
  private readonly openTasks = new Map<string, TaskSpec>();
  state!: InstanceState;

  constructor(
    readonly world: World,
    readonly model: ExecutableProcess,
  ) {}

  get processId(): string {
    return this.model.id;
  }

  get status(): InstanceState['status'] {
    return this.state.status;
  }

  get ended(): boolean {
    return this.state.status !== 'ACTIVE';
  }

  /** The process instance's own variables. */
  get variables(): Variables {
    return this.state.elements[this.state.id]?.variables ?? {};
  }

  /** Open user tasks with their assignment, in creation order. */
  taskList(): OpenTask[] {
    return [...this.openTasks.values()].map((t) => {
      const task: OpenTask = { id: t.id, elementId: t.elementId, name: t.name ?? t.elementId, candidateGroups: t.candidateGroups };
      if (t.assignee !== undefined) task.assignee = t.assignee;
      return task;
    });
  }

  /** Names (or ids, for unnamed ones) of the open user tasks, sorted. */
  tasks(): string[] {
    return this.taskList()
      .map((t) => t.name)
      .sort();
  }

  /** Element ids of the open user tasks, sorted. */
  taskElements(): string[] {
    return this.taskList()
      .map((t) => t.elementId)
      .sort();
  }

  /** Element ids of every live element instance (not the process itself), sorted. */
  active(): string[] {
    return Object.values(this.state.elements)
      .filter((e) => e.key !== this.state.id)
      .map((e) => e.elementId)
      .sort();
  }

  /** The element id of the scope (process or sub-process) the live element `id` runs in. */
  parentOf(id: string): string {
    const live = Object.values(this.state.elements).find((e) => e.elementId === id);
    if (!live?.scopeKey) throw new Error(`'${id}' is not active in ${this.processId}; active: ${this.active().join(', ') || 'none'}`);
    return this.state.elements[live.scopeKey].elementId;
  }

  /** Joining gateways holding tokens that wait for more. */
  waitingJoins(): string[] {
    const waiting = Object.values(this.state.elements).flatMap((e) => Object.keys(e.joins ?? {}));
    return [...new Set(waiting)].sort();
  }

  /** Element ids in the order they completed (the process itself left out). */
  completed(): string[] {
    return this.ofType('ELEMENT_COMPLETED');
  }

  /** How often element `id` completed (was taken). */
  taken(id: string): number {
    return this.completed().filter((e) => e === id).length;
  }

  /** How often element `id` was terminated (interrupted, cancelled). */
  terminated(id: string): number {
    return this.ofType('ELEMENT_TERMINATED').filter((e) => e === id).length;
  }

  incidents(): string[] {
    return Object.values(this.state.incidents).map((i) => `${i.elementId}: ${i.type}`);
  }

  /** Completes the first open user task with this name or element id. */
  complete(nameOrId: string, variables: Variables = {}): void {
    const task = this.taskList().find((t) => t.name === nameOrId || t.elementId === nameOrId);
    if (!task) throw new Error(`No open task '${nameOrId}' in ${this.processId}; open: ${this.tasks().join(', ') || 'none'}`);
    this.apply({ type: 'COMPLETE_TASK', taskId: task.id, variables });
  }

  /**
   * Resumes the wait state at `elementId`: completes its task or its job, or
   * else triggers it (TRIGGER: a receive task without a message, the plain
   * wait state of Camunda 7's tests); the runtime refuses what it cannot
   * trigger. The other engines' "signal X" of a manual task is "complete X"
   * here, since the harness makes their waiting manual tasks user tasks
   * (dialects.ts).
   */
  trigger(elementId: string, variables: Variables = {}): void {
    const live = Object.values(this.state.elements).filter((e) => e.elementId === elementId);
    if (live.length === 0) throw new Error(`Nothing waits at '${elementId}' in ${this.processId}; active: ${this.active().join(', ') || 'none'}`);
    const waiting = live.find((e) => e.taskId || e.jobKey) ?? live[0];
    if (waiting.taskId) return this.apply({ type: 'COMPLETE_TASK', taskId: waiting.taskId, variables });
    if (waiting.jobKey) return this.apply({ type: 'COMPLETE_JOB', jobKey: waiting.jobKey, variables });
    this.apply({ type: 'TRIGGER', elementInstanceKey: waiting.key, variables });
  }

  /** Sets variables of the running instance from outside, as an API call would (conditional events then re-evaluate). */
  setVariables(_variables: Variables): void {
    notExecutableYet("Weft's runtime has no command to set variables of a running instance");
  }

  cancel(): void {
    this.apply({ type: 'CANCEL' });
  }

  /** Takes the state and effects of the instance's start. */
  begin(result: Extract<StepResult, { ok: true }>): void {
    this.state = result.state;
    this.absorb(result.effects);
  }

  /** Runs one command through Weft's step function; a rejection is a failure of the test. */
  apply(command: Command): void {
    const result = step(this.model, this.state, command, this.world.context());
    if (!result.ok) throw new Error(`${command.type} refused by ${this.processId}: ${result.rejection.message}`);
    this.state = result.state;
    this.absorb(result.effects);
  }

  private absorb(effects: Effect[]): void {
    for (const effect of effects) {
      if (effect.type === 'AUDIT') this.events.push(effect.event);
      if (effect.type === 'CREATE_TASK') this.openTasks.set(effect.task.id, effect.task);
      if (effect.type === 'FINISH_TASK') this.openTasks.delete(effect.taskId);
    }
    this.world.afterStep(this, effects);
  }

  private ofType(type: AuditEvent['type']): string[] {
    return this.events.filter((e) => e.type === type && e.elementInstanceKey !== this.state.id && e.elementId).map((e) => e.elementId!);
  }
}
