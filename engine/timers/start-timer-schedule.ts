/**
 * Timer start events are scheduled when their version is deployed, in the
 * deployment's transaction (a DeployHook): as in Camunda 8, a new version
 * replaces the schedule of every version before it — whether or not it has
 * timer start events itself — and each of its timer start events is armed
 * at deploy time, with no variables. A timer that does not evaluate refuses
 * the deployment (422), naming the file, the process and the event.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { WeftError } from '../errors.js';
import { armTimer } from '../runtime/waits/timer-schedule.js';
import type { DeployHook, StoredDefinition } from '../persistence/definition-repository.js';
import { cancelStartTimers, insertStartTimer, scheduleAudit, type Statement } from './timer-rows.js';

export const scheduleStartTimers: DeployHook = async (trx, stored, now) => {
  for (const definition of stored) {
    const canceled = await run(trx, cancelStartTimers(definition.processId, definition.key, now));
    for (const old of canceled) {
      await run(trx, scheduleAudit('TIMER_CANCELED', old.element_id, { timerId: old.id, definitionKey: old.definition_key, replacedBy: definition.key }, now));
    }
    for (const statement of schedule(definition, now)) await run(trx, statement);
  }
};

function schedule(definition: StoredDefinition, now: Date): Statement[] {
  const { model } = definition;
  const process = model.elements[model.id];
  const starts = process.kind === 'process' ? (process.eventStarts ?? []) : [];
  return starts.flatMap((id) => {
    const element = model.elements[id];
    if (element.kind !== 'timerStartEvent') return [];
    const armed = armTimer(element.timer, {}, now.toISOString());
    if (!armed.ok) {
      const message = `Timer start event '${id}' of process '${model.id}': ${armed.message}`;
      throw new WeftError('INVALID_MODEL', `${definition.resourceName} cannot be deployed (${id}: ${message})`, {
        problems: [{ file: definition.resourceName, elementId: id, message }],
      });
    }
    const timer = { id: randomUUID(), definitionKey: definition.key, processId: model.id, elementId: id, dueAt: armed.dueAt, repeat: armed.repeat ?? null };
    return insertStartTimer(timer, now);
  });
}

async function run(trx: Knex.Transaction, statement: Statement): Promise<Record<string, any>[]> {
  const result = await trx.raw(statement.sql, statement.bindings);
  return result.rows ?? [];
}
