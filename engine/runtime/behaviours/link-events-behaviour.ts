import type { Behaviour } from './behaviour.js';

/**
 * Link throw event: the token leaves by no flow and reappears at the link
 * catch event of the same name in the same scope (resolved at compile time),
 * a way to draw a long flow as two ends.
 */
export const linkThrowEventBehaviour: Behaviour<'linkThrowEvent'> = {
  activate(run, element, instance) {
    run.send(element.target, instance.scopeKey!);
    run.complete(instance, { flows: [] });
  },
};
