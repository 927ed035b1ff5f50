/**
 * Message start events are listened to by the latest version of their
 * process only (as in Camunda 8: deploying a version closes the previous
 * version's start subscriptions). A deploy hook keeps `message_start_events`
 * so: each new version replaces its process's rows, in the deployment's
 * transaction; a name the new version keeps keeps its `since`.
 */
import type { DeployHook } from '../persistence/definition-repository.js';

export const registerMessageStartEvents: DeployHook = async (trx, stored, now) => {
  for (const definition of stored) {
    const events = Object.values(definition.model.elements).flatMap((e) =>
      // The compiler allows only fixed names here: a start event is matched before any variable exists.
      e.kind === 'messageStartEvent' && 'value' in e.message.name ? [{ elementId: e.id, name: e.message.name.value }] : [],
    );
    await trx('message_start_events')
      .where({ process_id: definition.processId })
      .whereNotIn('message_name', events.map((e) => e.name))
      .delete();
    if (events.length === 0) continue;
    await trx('message_start_events')
      .insert(events.map((e) => ({ process_id: definition.processId, message_name: e.name, definition_key: definition.key, element_id: e.elementId, since: now })))
      .onConflict(['process_id', 'message_name'])
      .merge(['definition_key', 'element_id']);
  }
};

/** Whether an active instance of the process was started by a message with this correlation key. */
export const ACTIVE_WITH_START_KEY = `SELECT 1 FROM process_instances WHERE process_id = ? AND start_correlation_key = ? AND status = 'ACTIVE' LIMIT 1`;
