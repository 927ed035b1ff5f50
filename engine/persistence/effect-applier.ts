/**
 * Applies a step's effects inside the transaction that holds the instance
 * row lock. Work for queues goes to the outbox in the same transaction; the
 * rows are returned so the caller can relay them right after commit.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Effect, InstanceState } from '../runtime/types.js';
import { queueForJobType } from '../queue/routing.js';

export interface OutboxRow {
  id: string;
  queue: string;
  payload: { jobKey: string };
  available_at: Date;
}

export interface ApplyOptions {
  actor: string;
  now: Date;
  /** true when the instance row does not exist yet (a start). */
  insert?: { processId: string; version: number; definitionKey: string; businessKey?: string };
}

export async function applyEffects(trx: Knex.Transaction, state: InstanceState, effects: Effect[], options: ApplyOptions): Promise<OutboxRow[]> {
  const { actor, now } = options;
  const audit: Record<string, unknown>[] = [];
  const outbox: OutboxRow[] = [];
  const jobsToInsert: Record<string, unknown>[] = [];
  const tasksToInsert: Record<string, unknown>[] = [];
  let endedAt: Date | null = null;

  // The instance row first: jobs, tasks and incidents refer to it.
  const row = { state: JSON.stringify(state), status: state.status, updated_at: now };
  if (options.insert) {
    await trx('process_instances').insert({
      id: state.id,
      definition_key: options.insert.definitionKey,
      process_id: options.insert.processId,
      version: options.insert.version,
      business_key: options.insert.businessKey ?? null,
      created_at: now,
      ...row,
    });
  }

  for (const effect of effects) {
    switch (effect.type) {
      case 'AUDIT': {
        const { event } = effect;
        audit.push({
          process_instance_id: state.id,
          at: now,
          actor,
          type: event.type,
          element_id: event.elementId ?? null,
          element_instance_key: event.elementInstanceKey ?? null,
          payload: event.payload === undefined ? null : JSON.stringify(event.payload),
        });
        break;
      }
      case 'CREATE_JOB': {
        const { job } = effect;
        const dispatch = dispatchRow(job.key, job.type, now);
        outbox.push(dispatch);
        jobsToInsert.push({
          key: job.key,
          type: job.type,
          process_instance_id: state.id,
          process_id: state.processId,
          element_id: job.elementId,
          element_instance_key: job.elementInstanceKey,
          state: 'ACTIVATABLE',
          retries: job.retries,
          headers: JSON.stringify(job.headers),
          variables: JSON.stringify(job.variables),
          available_at: now,
          dispatch_id: dispatch.id,
          created_at: now,
          updated_at: now,
        });
        break;
      }
      case 'RETRY_JOB': {
        const job = state.jobs[effect.jobKey];
        const availableAt = new Date(effect.availableAt);
        const dispatch = dispatchRow(effect.jobKey, job.type, availableAt);
        outbox.push(dispatch);
        await trx('jobs').where({ key: effect.jobKey }).update({
          state: 'ACTIVATABLE',
          retries: effect.retries,
          available_at: availableAt,
          worker_id: null,
          deadline: null,
          dispatch_id: dispatch.id,
          updated_at: now,
        });
        break;
      }
      case 'FINISH_JOB': {
        // A job created and ended in the same step (a terminate end event) is not inserted yet.
        const pending = jobsToInsert.find((j) => j.key === effect.jobKey);
        if (pending) {
          pending.state = effect.state;
          break;
        }
        await trx('jobs')
          .where({ key: effect.jobKey })
          .update({
            state: effect.state,
            updated_at: now,
            ...(effect.errorMessage !== undefined && { error_message: effect.errorMessage }),
            ...(effect.retries !== undefined && { retries: effect.retries }),
          });
        break;
      }
      case 'CREATE_TASK': {
        const { task } = effect;
        tasksToInsert.push({
          id: task.id,
          process_instance_id: state.id,
          process_id: state.processId,
          element_id: task.elementId,
          element_instance_key: task.elementInstanceKey,
          name: task.name ?? null,
          state: 'CREATED',
          assignee: task.assignee ?? null,
          candidate_groups: task.candidateGroups,
          candidate_users: task.candidateUsers,
          due_date: task.dueDate ?? null,
          follow_up_date: task.followUpDate ?? null,
          form_id: task.formId ?? null,
          form_key: task.formKey ?? null,
          priority: task.priority,
          headers: JSON.stringify(task.headers),
          variables: JSON.stringify(task.variables),
          created_at: now,
        });
        break;
      }
      case 'FINISH_TASK': {
        const pending = tasksToInsert.find((t) => t.id === effect.taskId);
        if (pending) {
          pending.state = effect.state;
          break;
        }
        await trx('tasks')
          .where({ id: effect.taskId })
          .update({ state: effect.state, completed_at: now, completed_by: effect.state === 'COMPLETED' ? actor : null });
        break;
      }
      case 'OPEN_INCIDENT': {
        const { incident } = effect;
        await trx('incidents').insert({
          id: incident.id,
          process_instance_id: state.id,
          element_id: incident.elementId,
          element_instance_key: incident.elementInstanceKey,
          job_key: incident.jobKey ?? null,
          type: incident.type,
          message: incident.message,
          state: 'OPEN',
          created_at: now,
        });
        break;
      }
      case 'RESOLVE_INCIDENT':
        await trx('incidents').where({ id: effect.incidentId }).update({ state: 'RESOLVED', resolved_at: now, resolved_by: actor });
        break;
      case 'INSTANCE_ENDED':
        endedAt = now;
        break;
      default: {
        const unknown: never = effect;
        throw new Error(`No applier for effect ${JSON.stringify(unknown)}`);
      }
    }
  }

  if (!options.insert) {
    await trx('process_instances')
      .where({ id: state.id })
      .update({ ...row, ...(endedAt && { ended_at: endedAt }) });
  } else if (endedAt) {
    await trx('process_instances').where({ id: state.id }).update({ ended_at: endedAt });
  }
  if (jobsToInsert.length > 0) await trx('jobs').insert(jobsToInsert);
  if (tasksToInsert.length > 0) await trx('tasks').insert(tasksToInsert);
  if (outbox.length > 0) {
    await trx('outbox').insert(outbox.map((o) => ({ ...o, payload: JSON.stringify(o.payload), created_at: now })));
  }
  if (audit.length > 0) await trx('audit').insert(audit);
  return outbox;
}

function dispatchRow(jobKey: string, type: string, availableAt: Date): OutboxRow {
  return { id: randomUUID(), queue: queueForJobType(type), payload: { jobKey }, available_at: availableAt };
}
