import type { ElementKind, ElementOfKind } from '../../model/types.js';
import type { ElementInstance } from '../types.js';
import type { Run } from '../run.js';
import type { Behaviour } from './behaviour.js';
import { openOwnWait, type PreparedWait } from '../waits/waits.js';

/**
 * An element that waits for one event itself (intermediate timer, message
 * and signal catch events, a receive task): on arrival its wait is opened
 * (`prepare`; one that does not evaluate is an incident), and the element
 * completes with the event's variables when it happens. After an event-based
 * gateway whose winner it is, the event has happened already: it completes
 * at once.
 */
export function catchEvent<K extends ElementKind>(prepare: (run: Run, element: ElementOfKind<K>, instance: ElementInstance) => PreparedWait | null): Behaviour<K> {
  return {
    activate(run, element, instance) {
      const happened = run.happenedEvent(instance);
      if (happened) return run.complete(instance, { result: happened });
      const prepared = prepare(run, element, instance);
      if (prepared) openOwnWait(run, prepared, instance);
    },
    triggered(run, _element, owner, _wait, variables) {
      run.complete(owner, { result: variables });
    },
  };
}
