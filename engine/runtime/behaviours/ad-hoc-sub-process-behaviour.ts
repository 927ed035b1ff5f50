import type { Behaviour } from './behaviour.js';
import type { AdHocSubProcessElement } from '../../model/types.js';
import type { ElementInstance, Variables } from '../types.js';
import type { Run } from '../run.js';
import { cancelJob, createJob } from '../jobs.js';

/**
 * Ad-hoc sub-process with an agent: a scope whose next step is decided by an
 * agent job. Each turn creates a job (variable `weftAdHoc` lists the
 * choosable activities and what earlier choices returned); the agent
 * completes it with
 *   `adHocActivate: [{elementId, variables?, toolCallId?}]` — run these next, or
 *   `adHocDone: true` (plus its result variables) — the sub-process is done.
 * Chosen activities run as real elements inside the scope (a user task makes a
 * person the tool); when the last one has ended, the agent gets the next turn.
 */
export const adHocSubProcessBehaviour: Behaviour<'adHocSubProcess'> = {
  activate(run, element, instance) {
    instance.variables ??= {};
    // Kept when an incident re-runs the activation: earlier turns' results stay.
    instance.adHoc ??= { turn: 0, calls: {}, results: [] };
    askAgent(run, element, instance);
  },

  jobCompleted(run, element, instance, variables) {
    const adHoc = instance.adHoc!;
    delete instance.jobKey;
    const { adHocActivate, adHocDone, ...result } = variables as { adHocActivate?: unknown; adHocDone?: unknown } & Variables;
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
    run.setVariables(instance.key, result);
    if (adHocDone === true || chosen.length === 0) adHoc.done = true;
    adHoc.activating = true;
    for (const choice of chosen) {
      const local = choice.variables && typeof choice.variables === 'object' ? (choice.variables as Variables) : {};
      const call = { elementId: choice.elementId as string, toolCallId: typeof choice.toolCallId === 'string' ? choice.toolCallId : undefined };
      adHoc.pending = call;
      const child = run.activateElementWith(run.element(call.elementId), instance, local);
      if (adHoc.pending && run.state.elements[child.key]) adHoc.calls[child.key] = call;
      delete adHoc.pending;
    }
    adHoc.activating = false;
    run.scopeMayBeEmpty(instance.key);
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

/** Creates the agent job for the next turn. */
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
