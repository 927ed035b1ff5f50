/**
 * The SDK's AgentExecutor for an exposed process: a message starts an
 * instance of the latest version, as the caller (the same service function as
 * POST /api/process-instances), with the message's variables: the fields of
 * its first data part that is an object, and its text as `a2aMessage`. The
 * A2A task is tied to the instance before the executor answers; its state is
 * the instance's from then on (process-task-store.ts).
 *
 * A later message on the same task starts nothing: a process takes its input
 * once, at the start, and the task is reported as it is.
 */
import { Task, TaskState } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutor, type RequestContext, type ExecutionEventBus } from '@a2a-js/sdk/server';
import type { EngineApi } from '../../service/types.js';
import type { Variables } from '../../runtime/types.js';
import type { ExposedRepository } from './exposed-repository.js';
import type { ProcessTaskStore } from './process-task-store.js';
import { actorOfCall } from './weft-user.js';

export const MESSAGE_VARIABLE = 'a2aMessage';

export function variablesOf(context: RequestContext): Variables {
  const parts = context.userMessage.parts;
  const data = parts.map((p) => (p.content?.$case === 'data' ? p.content.value : undefined)).find((v) => v && typeof v === 'object' && !Array.isArray(v));
  const text = parts
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .filter(Boolean)
    .join('\n');
  return { ...(data as Variables | undefined), ...(text ? { [MESSAGE_VARIABLE]: text } : {}) };
}

export function processExecutor(processId: string, deps: { engine: Pick<EngineApi, 'startInstance' | 'cancelInstance'>; repo: ExposedRepository; store: ProcessTaskStore }): AgentExecutor {
  return {
    async execute(context: RequestContext, bus: ExecutionEventBus) {
      const actor = actorOfCall(context.context);
      if (context.task) {
        bus.publish(AgentEvent.task(context.task));
        return;
      }
      await deps.repo.insertTask({ task_id: context.taskId, process_id: processId, context_id: context.contextId, owner: actor.id });
      const instance = await deps.engine.startInstance({ processId, variables: variablesOf(context) }, actor.id);
      await deps.repo.tieInstance(context.taskId, instance.id);
      const task = (await deps.store.load(context.taskId, context.context)) ?? Task.fromJSON({ id: context.taskId, contextId: context.contextId, status: { state: 'TASK_STATE_WORKING' } });
      task.history = [context.userMessage];
      bus.publish(AgentEvent.task(task));
    },
    // Reached only while this process still holds the execution (right after the start): cancel the instance.
    async cancelTask(taskId: string, bus: ExecutionEventBus) {
      const row = await deps.repo.task(taskId);
      if (row?.process_instance_id) await deps.engine.cancelInstance(row.process_instance_id, row.owner);
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId: row?.context_id ?? '', metadata: {}, status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: new Date().toISOString() } }));
    },
  };
}
