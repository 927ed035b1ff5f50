/**
 * The start events of a deployed process that an event starts (a timer, a
 * published message, a broadcast signal): the compiler lists them on the
 * process (ProcessElement.eventStarts); event sub-processes' starts are not
 * among them, their waits belong to a running scope.
 */
import type { ElementOfKind, ExecutableProcess, ValueOrExpression } from '../../../engine/model/types.js';

type EventStartKind = 'timerStartEvent' | 'messageStartEvent' | 'signalStartEvent';

export function eventStartsOf<K extends EventStartKind>(model: ExecutableProcess, kind: K): ElementOfKind<K>[] {
  const process = model.elements[model.id];
  const ids = process.kind === 'process' ? (process.eventStarts ?? []) : [];
  return ids.map((id) => model.elements[id]).filter((e): e is ElementOfKind<K> => e.kind === kind);
}

/** The fixed name of a start event's message or signal (the compiler refuses FEEL names there). */
export function fixedName(name: ValueOrExpression): string | undefined {
  return 'value' in name ? name.value : undefined;
}
