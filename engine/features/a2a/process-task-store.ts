/**
 * The SDK's TaskStore for an exposed process, over Postgres: a task is the
 * row that ties it to its instance, and its status is read from the instance
 * each time it is loaded (the instance is the truth; any engine process can
 * answer, and a restart loses nothing). What the SDK saves (history,
 * metadata) is kept as the row's snapshot. A task is its sender's: another
 * caller's load finds nothing.
 *
 * Saving a task as canceled is how the SDK cancels a task no execution of
 * this process holds (tasks/cancel): the instance is canceled then.
 */
import { OPERATORS, describeAccess, mayCall } from '../../api/access.js';
import { Message, Task, TaskState } from '@a2a-js/sdk';
import type { ServerCallContext, TaskStore } from '@a2a-js/sdk/server';
import type { ListTasksRequest, ListTasksResponse } from '@a2a-js/sdk';
import type { EngineApi, InstanceDetail } from '../../service/types.js';
import { WeftError } from '../../errors.js';
import type { Exposure, TaskRow } from './exposed-repository.js';
import { ExposedRepository } from './exposed-repository.js';
import { actorOfCall } from './weft-user.js';

const STATES: Record<InstanceDetail['state'], TaskState> = {
  ACTIVE: TaskState.TASK_STATE_WORKING,
  COMPLETED: TaskState.TASK_STATE_COMPLETED,
  CANCELED: TaskState.TASK_STATE_CANCELED,
  // Ended by a terminate end event or an error no one caught: not the outcome the caller asked for.
  TERMINATED: TaskState.TASK_STATE_FAILED,
};

const agentSays = (task: { id: string; contextId: string }, text: string) => ({ messageId: `${task.id}-status`, taskId: task.id, contextId: task.contextId, role: 'ROLE_AGENT', parts: [{ text }] });

export class ProcessTaskStore implements TaskStore {
  private readonly repo: ExposedRepository;
  constructor(
    private readonly deps: { engine: Pick<EngineApi, 'getInstance' | 'cancelInstance'>; repo: ExposedRepository },
    private readonly exposure: Exposure,
  ) {
    this.repo = deps.repo;
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const row = await this.ownRow(taskId, context);
    return row ? this.project(row) : undefined;
  }

  async save(task: Task, context: ServerCallContext): Promise<void> {
    const row = await this.ownRow(task.id, context);
    if (!row) return; // not a task of this caller: nothing of theirs to keep
    await this.repo.saveSnapshot(task.id, Task.toJSON({ ...task, artifacts: [] }));
    if (task.status?.state === TaskState.TASK_STATE_CANCELED && row.process_instance_id) {
      const instance = await this.deps.engine.getInstance(row.process_instance_id);
      // Canceling is an operator's, as POST /api/process-instances/:id/cancel is: a caller who may only start it cannot.
      const actor = actorOfCall(context);
      if (!mayCall(actor, OPERATORS)) throw new WeftError('FORBIDDEN', `Canceling an instance needs the ${describeAccess(OPERATORS)}`);
      if (instance.state === 'ACTIVE') await this.deps.engine.cancelInstance(row.process_instance_id, actor.id);
    }
  }

  async list(_params: ListTasksRequest, _context: ServerCallContext): Promise<ListTasksResponse> {
    throw new WeftError('BAD_REQUEST', 'Listing tasks is not offered: ask for a task by its id (tasks/get)');
  }

  private async ownRow(taskId: string, context: ServerCallContext): Promise<TaskRow | undefined> {
    const row = await this.repo.task(taskId);
    if (!row || row.process_id !== this.exposure.processId || row.owner !== actorOfCall(context).id) return undefined;
    return row;
  }

  /** The task as the instance says it is now. */
  private async project(row: TaskRow): Promise<Task> {
    const saved = row.snapshot ? Task.fromJSON(row.snapshot) : Task.fromJSON({ id: row.task_id, contextId: row.context_id });
    const base = { id: row.task_id, contextId: row.context_id };
    if (!row.process_instance_id) {
      // Execution failed before (or while) the instance started: the SDK saved why, or nothing was saved.
      if (saved.status) return saved;
      return Task.fromJSON({ ...base, status: { state: 'TASK_STATE_FAILED', message: agentSays(base, 'The process instance was not started') } });
    }
    const instance = await this.deps.engine.getInstance(row.process_instance_id);
    const state = STATES[instance.state];
    const artifacts = instance.state === 'COMPLETED' ? [{ artifactId: 'variables', name: 'variables', parts: [{ data: this.outputOf(instance.variables), mediaType: 'application/json' }] }] : [];
    const incident = instance.incidents.find((i) => i.state === 'OPEN');
    const status = { state, timestamp: new Date().toISOString(), message: incident ? Message.fromJSON(agentSays(base, 'The process waits on an incident an operator must resolve')) : undefined };
    return {
      ...saved,
      ...base,
      status,
      artifacts: Task.fromJSON({ artifacts }).artifacts,
      metadata: { ...saved.metadata, processId: row.process_id, processInstanceId: row.process_instance_id },
    };
  }

  private outputOf(variables: Record<string, unknown>): Record<string, unknown> {
    const names = this.exposure.outputVariables;
    if (!names) return variables;
    return Object.fromEntries(names.filter((n) => Object.hasOwn(variables, n)).map((n) => [n, variables[n]]));
  }
}
