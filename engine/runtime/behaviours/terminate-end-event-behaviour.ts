import type { Behaviour } from './behaviour.js';

/**
 * Terminate end event: every other token in the same scope is terminated.
 * In a sub-process the sub-process then completes normally; at the top level
 * the instance ends TERMINATED.
 */
export const terminateEndEventBehaviour: Behaviour<'terminateEndEvent'> = {
  activate(run, _element, instance) {
    const scope = run.state.elements[instance.scopeKey!];
    run.terminateChildren(scope, instance.key);
    if (scope.key === run.state.id) run.terminatedScopes.add(scope.key);
    run.complete(instance, { flows: [] });
  },
};
