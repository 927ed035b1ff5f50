import type { Behaviour } from './behaviour.js';
import { resolveValue } from '../feel.js';

/**
 * Call activity: starts a child instance of the called process and waits
 * for it. The child is created in the step's transaction (START_CHILD_INSTANCE);
 * its end reaches this instance as CHILD_COMPLETED or CHILD_ERROR (step.ts),
 * and ending the call activity early cancels the child.
 */
export const callActivityBehaviour: Behaviour<'callActivity'> = {
  activate(run, element, instance) {
    const processId = resolveValue(element.processId, run.variablesFor(instance), run.ctx.now);
    if (!processId.ok || typeof processId.value !== 'string' || processId.value === '') {
      const message = processId.ok ? `The called process id must be a non-empty string, got ${JSON.stringify(processId.value)}` : processId.message;
      run.openIncident(instance, { type: 'EXPRESSION_FAILED', message: `Call activity '${element.id}': ${message}`, retry: 'activate' });
      return;
    }
    // All visible variables, or only the call activity's own (its input mappings').
    const variables = element.propagateAllParentVariables ? run.variablesFor(instance) : { ...(instance.variables ?? {}) };
    const id = run.ctx.newId();
    instance.childInstanceId = id;
    const parent = { instanceId: run.state.id, elementInstanceKey: instance.key, elementId: element.id, processId: run.state.processId };
    run.emit({ type: 'START_CHILD_INSTANCE', child: { id, processId: processId.value, binding: element.binding, variables, parent } });
    run.audit('CHILD_INSTANCE_STARTED', instance, { childInstanceId: id, processId: processId.value, binding: element.binding.type });
  },
  terminate(run, _element, instance) {
    if (!instance.childInstanceId) return;
    run.emit({ type: 'CANCEL_CHILD_INSTANCE', childInstanceId: instance.childInstanceId });
    run.audit('CHILD_INSTANCE_CANCELED', instance, { childInstanceId: instance.childInstanceId });
    delete instance.childInstanceId;
  },
};
