import type { Behaviour } from './behaviour.js';
import type { AdHocSubProcessElement } from '../../model/types.js';
import type { AdHocJobResult, ElementInstance, JobRecord, Rejection, Variables } from '../types.js';
import type { Run } from '../run.js';
import { cancelJob, createJob } from '../jobs.js';

/**
 * Ad-hoc sub-process driven by a job: a scope whose next step is decided by
 * the worker of its job (an agent, or any job worker). Each turn creates a
 * job (variable `weftAdHoc` lists the choosable activities and what earlier
 * choices returned). Weft's agent completes it with variables
 *   `adHocActivate: [{elementId, variables?, toolCallId?}]` — run these next, or
 *   `adHocDone: true` (plus its result variables) — the sub-process is done;
 * a Camunda job worker completes it with a result (AdHocJobResult):
 *   `activateElements` — run these next, `completionConditionFulfilled` — done
 *   once they have ended, `cancelRemainingInstances` — done now, ending them.
 * Chosen activities run as real elements inside the scope (a user task makes a
 * person the tool); when the last one has ended, the worker gets the next turn.
 */
export const adHocSubProcessBehaviour: Behaviour<'adHocSubProcess'> = {
  activate(run, element, instance) {
    instance.variables ??= {};
    // Kept when an incident re-runs the activation: earlier turns' results stay.
    instance.adHoc ??= { turn: 0, calls: {}, results: [] };
    askAgent(run, element, instance);
  },

  jobCompleted(run, element, instance, variables, result) {
    delete instance.jobKey;
    if (result) {
      // Checked by the step before anything changed (refuseAdHocResult): every element is choosable.
      const done = result.completionConditionFulfilled;
      return steer(run, element, instance, variables, result.activateElements, { done, cancelRemaining: done && result.cancelRemainingInstances });
    }
    const { adHocActivate, adHocDone, ...rest } = variables as { adHocActivate?: unknown; adHocDone?: unknown } & Variables;
    const chosen = Array.isArray(adHocActivate) ? (adHocActivate as { elementId?: unknown; variables?: unknown; toolCallId?: unknown }[]) : [];
    const unknown = chosen.filter((c) => typeof c?.elementId !== 'string' || !element.activities.includes(c.elementId));
    if (unknown.length > 0) {
      run.openIncident(instance, {
        type: 'AD_HOC_ACTIVITY_UNKNOWN',
        message: `The agent chose ${unknown.map((c) => JSON.stringify(c?.elementId)).join(', ')}, which ${unknown.length > 1 ? 'are not activities' : 'is not an activity'} of ad-hoc sub-process '${element.id}' (choosable: ${element.activities.join(', ')})`,
        retry: 'activate',
      });
      return;
    }
    const choices = chosen.map((c) => ({
      elementId: c.elementId as string,
      variables: c.variables && typeof c.variables === 'object' ? (c.variables as Variables) : {},
      toolCallId: typeof c.toolCallId === 'string' ? c.toolCallId : undefined,
    }));
    // An agent that chooses nothing is done.
    steer(run, element, instance, rest, choices, { done: adHocDone === true || chosen.length === 0, cancelRemaining: false });
  },

  childCompleted(_run, _element, instance, child, result) {
    const adHoc = instance.adHoc;
    if (!adHoc) return;
    const call = adHoc.calls[child.key] ?? (adHoc.pending?.elementId === child.elementId ? adHoc.pending : undefined);
    if (!call) return;
    delete adHoc.calls[child.key];
    delete adHoc.pending;
    adHoc.results.push({ elementId: call.elementId, toolCallId: call.toolCallId, turn: adHoc.turn - 1, variables: result });
  },

  scopeEmpty(run, element, instance) {
    const adHoc = instance.adHoc!;
    if (adHoc.activating || instance.jobKey) return;
    if (adHoc.done) run.complete(instance);
    else askAgent(run, element, instance);
  },

  terminate(run, _element, instance) {
    cancelJob(run, instance);
  },
};

/** Sets the worker's variables on the scope and runs its choices; `cancelRemaining` ends what is still running and completes now. */
function steer(
  run: Run,
  element: AdHocSubProcessElement,
  instance: ElementInstance,
  variables: Variables,
  choices: { elementId: string; variables: Variables; toolCallId?: string }[],
  how: { done: boolean; cancelRemaining: boolean },
): void {
  const adHoc = instance.adHoc!;
  run.setVariables(instance.key, variables);
  if (how.done) adHoc.done = true;
  adHoc.activating = true;
  for (const choice of choices) {
    const call = { elementId: choice.elementId, toolCallId: choice.toolCallId };
    adHoc.pending = call;
    const child = run.activateElementWith(run.element(call.elementId), instance, choice.variables);
    if (adHoc.pending && run.state.elements[child.key]) adHoc.calls[child.key] = call;
    delete adHoc.pending;
  }
  adHoc.activating = false;
  if (how.cancelRemaining) {
    run.terminateChildren(instance);
    adHoc.calls = {};
  }
  run.scopeMayBeEmpty(instance.key);
}

/**
 * A worker's result for job `job` of `instance`, refused before anything
 * changes: only an ad-hoc sub-process's own job takes one, and only its
 * choosable activities can be activated. The refusal names the field.
 */
export function refuseAdHocResult(run: Run, job: JobRecord, instance: ElementInstance, result: AdHocJobResult): Rejection | undefined {
  const element = run.element(instance.elementId);
  if (element.kind !== 'adHocSubProcess' || job.toolCall) {
    return { code: 'BAD_REQUEST', message: `result: job ${job.key} is not the job of an ad-hoc sub-process (it belongs to ${element.kind} '${element.id}')` };
  }
  const unknown = result.activateElements.map((a, i) => ({ ...a, i })).filter((a) => !element.activities.includes(a.elementId));
  if (unknown.length === 0) return undefined;
  const named = unknown.map((a) => `result.activateElements[${a.i}].elementId: '${a.elementId}'`).join('; ');
  return { code: 'BAD_REQUEST', message: `${named} ${unknown.length > 1 ? 'are not activities' : 'is not an activity'} of ad-hoc sub-process '${element.id}' (choosable: ${element.activities.join(', ')})` };
}

/** Creates the job for the next turn. */
function askAgent(run: Run, element: AdHocSubProcessElement, instance: ElementInstance): void {
  const adHoc = instance.adHoc!;
  const scope = run.variablesFor(instance);
  const turn = adHoc.turn;
  const activities = element.activities.map((id) => {
    const activity = run.element(id);
    return { elementId: id, name: activity.name ?? id, kind: activity.kind };
  });
  const variables = { ...scope, weftAdHoc: { scopeKey: instance.key, turn, activities, results: adHoc.results } };
  if (createJob(run, element, instance, scope, variables, { adHocTurn: turn })) adHoc.turn++;
}
