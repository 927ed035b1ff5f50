import type { Behaviour } from './behaviour.js';
import { evaluateFeel } from '../feel.js';

/** Script task with `zeebe:script`: evaluates FEEL and completes with the result variable. */
export const scriptTaskBehaviour: Behaviour<'scriptTask'> = {
  activate(run, element, instance) {
    const result = evaluateFeel(element.expression, run.variablesFor(instance), run.ctx.now);
    if (!result.ok) {
      run.openIncident(instance, { type: 'EXPRESSION_FAILED', message: result.message, retry: 'activate' });
      return;
    }
    run.complete(instance, { result: { [element.resultVariable]: result.value } });
  },
};
