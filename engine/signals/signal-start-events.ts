/**
 * Signal start events are listened to by the latest version of their
 * process only (as in Camunda 8: a new version replaces the previous
 * version's start events, whether or not it has any itself). A deploy hook
 * keeps `signal_start_events` so, in the deployment's transaction. Only a
 * process's own start events count, not an event sub-process's (those wait
 * inside a running instance, as subscriptions). Two start events of one
 * process with the same signal: the first (in document order) is the one a
 * broadcast starts the process at — one instance per broadcast.
 */
import type { DeployHook } from '../persistence/definition-repository.js';

export const registerSignalStartEvents: DeployHook = async (trx, stored) => {
  for (const definition of stored) {
    const { model } = definition;
    const process = model.elements[model.id];
    const starts = process.kind === 'process' ? (process.eventStarts ?? []) : [];
    const events = new Map<string, string>();
    for (const id of starts) {
      const element = model.elements[id];
      // The compiler allows only fixed names here: a start event is matched before any variable exists.
      if (element.kind === 'signalStartEvent' && 'value' in element.signal.name && !events.has(element.signal.name.value)) {
        events.set(element.signal.name.value, id);
      }
    }
    await trx('signal_start_events').where({ process_id: definition.processId }).delete();
    if (events.size === 0) continue;
    await trx('signal_start_events').insert(
      [...events].map(([name, elementId]) => ({ process_id: definition.processId, signal_name: name, definition_key: definition.key, element_id: elementId })),
    );
  }
};
