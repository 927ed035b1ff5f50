import type { ElementKind } from '../../model/types.js';
import type { Behaviour } from './behaviour.js';

/**
 * Elements that do nothing but pass the token on: none start event, none end
 * event (no outgoing flows, so the token ends), task, manual task.
 */
export function passThrough<K extends ElementKind>(): Behaviour<K> {
  return {
    activate(run, _element, instance) {
      run.complete(instance);
    },
  };
}
