/**
 * The body of a repeating activity (multi-instance or a standard loop). A
 * token arriving at such an activity activates its body (run.ts): the body
 * holds the activity's boundary events and runs the activity itself as its
 * children — once per item, one after another or all at once, or again while
 * a loop condition holds — and completes when the last run ends, handing the
 * output collection to its scope.
 */
import type { FlowElement, LoopCharacteristics, MultiInstanceLoop, StandardLoop } from '../../model/types.js';
import type { ElementInstance, LoopState, Variables } from '../types.js';
import type { Run } from '../run.js';
import type { Behaviour } from './behaviour.js';
import { evaluateFeel } from '../feel.js';

type Repeating = FlowElement & { loop: LoopCharacteristics };

export const loopBodyBehaviour: Behaviour<any> & {
  innerCompleted(run: Run, element: Repeating, body: ElementInstance, inner: ElementInstance): string | null;
} = {
  activate(run, element: Repeating, body) {
    const loop = element.loop;
    const state = body.loop!;
    if (loop.type === 'standard') {
      if (loop.testBefore) {
        const first = holds(run, loop, body, body);
        if (typeof first === 'string') return run.openIncident(body, { type: 'CONDITION_FAILED', message: first, retry: 'activate' });
        if (!first) return finish(run, element, body);
      }
      return startRun(run, element, body, 0);
    }
    const planned = plan(run, loop, body);
    if (typeof planned === 'string') {
      run.openIncident(body, { type: 'EXPRESSION_FAILED', message: planned, retry: 'activate' });
      return;
    }
    state.total = planned.total;
    if (loop.sequential && planned.items) state.items = planned.items;
    if (loop.outputCollection) (body.variables ??= {})[loop.outputCollection] = Array.from({ length: planned.total }, () => null);
    if (planned.total === 0) return finish(run, element, body);
    if (loop.sequential) return startRun(run, element, body, 0, planned.items?.[0]);
    // All runs start now; one that completes at once must not end the body before its siblings exist.
    state.activating = true;
    for (let index = 0; index < planned.total && !state.done; index++) startRun(run, element, body, index, planned.items?.[index]);
    delete state.activating;
    if (run.state.elements[body.key] === body && run.childCount(body.key) === 0) finish(run, element, body);
  },

  /**
   * One run completed (its result and output mappings applied, it has not
   * left yet): collect its output element, count it, and ask the completion
   * condition. Returns why it failed (an incident on the run), or null.
   */
  innerCompleted(run, element, body, inner) {
    const loop = element.loop;
    const state = body.loop!;
    if (loop.type === 'standard') {
      const again = holds(run, loop, inner, body);
      if (typeof again === 'string') return again;
      state.completed++;
      if (!again || (loop.maximum !== undefined && state.started >= loop.maximum)) state.done = true;
      return null;
    }
    // Everything is evaluated before anything is recorded, so a failure (an incident, retried) counts nothing twice.
    let output: { index: number; value: unknown } | undefined;
    if (loop.outputCollection && loop.outputElement) {
      const value = evaluateFeel(loop.outputElement, run.variablesFor(inner), run.ctx.now);
      if (!value.ok) return `Output element of multi-instance '${element.id}' failed: ${value.message}`;
      output = { index: Number(inner.variables?.loopCounter) - 1, value: value.value };
    }
    const counted: LoopState = { ...state, completed: state.completed + 1 };
    let done = false;
    if (loop.completionCondition && !state.done) {
      const context = { ...run.variablesFor(inner), ...counters(counted) };
      const result = evaluateFeel(loop.completionCondition, context, run.ctx.now);
      if (!result.ok) return `Completion condition of multi-instance '${element.id}' failed: ${result.message}`;
      if (typeof result.value !== 'boolean') return `Completion condition of multi-instance '${element.id}' must give a boolean, got ${JSON.stringify(result.value)}`;
      done = result.value;
    }
    const collection = loop.outputCollection ? body.variables?.[loop.outputCollection] : undefined;
    if (output && Array.isArray(collection) && output.index >= 0 && output.index < collection.length) collection[output.index] = output.value;
    state.completed++;
    if (done) {
      state.done = true;
      for (const sibling of run.children(body.key)) {
        if (sibling.key === inner.key) continue;
        run.terminate(sibling);
        state.terminated++;
      }
    }
    return null;
  },

  scopeEmpty(run, element: Repeating, body) {
    const state = body.loop!;
    if (state.activating) return;
    const loop = element.loop;
    // Parallel runs all started at activation; sequential ones and standard loops start the next here.
    const more = loop.type === 'standard' ? !state.done : loop.sequential && !state.done && state.started < (state.total ?? 0);
    if (more) return startRun(run, element, body, state.started, state.items?.[state.started]);
    finish(run, element, body);
  },
};

function startRun(run: Run, element: Repeating, body: ElementInstance, index: number, item?: unknown): void {
  const state = body.loop!;
  state.started++;
  const variables: Variables = { loopCounter: index + 1 };
  if (element.loop.type === 'multiInstance' && element.loop.inputElement) variables[element.loop.inputElement] = item ?? null;
  run.activateRun(element, body, variables);
}

function finish(run: Run, element: Repeating, body: ElementInstance): void {
  const loop = element.loop;
  const result: Variables = {};
  if (loop.type === 'multiInstance' && loop.outputCollection) result[loop.outputCollection] = body.variables?.[loop.outputCollection] ?? [];
  run.complete(body, { result });
}

/** How many runs, and over which items: the input collection (a list) or the cardinality (a non-negative integer). */
function plan(run: Run, loop: MultiInstanceLoop, body: ElementInstance): { total: number; items?: unknown[] } | string {
  const variables = run.variablesFor(body);
  if (loop.inputCollection) {
    const result = evaluateFeel(loop.inputCollection, variables, run.ctx.now);
    if (!result.ok) return `Input collection of multi-instance '${body.elementId}' failed: ${result.message}`;
    if (!Array.isArray(result.value)) return `Input collection of multi-instance '${body.elementId}' must be a list, got ${JSON.stringify(result.value)}`;
    return { total: result.value.length, items: result.value };
  }
  const result = evaluateFeel(loop.loopCardinality!, variables, run.ctx.now);
  if (!result.ok) return `Loop cardinality of multi-instance '${body.elementId}' failed: ${result.message}`;
  if (typeof result.value !== 'number' || !Number.isInteger(result.value) || result.value < 0) {
    return `Loop cardinality of multi-instance '${body.elementId}' must be a non-negative integer, got ${JSON.stringify(result.value)}`;
  }
  return { total: result.value };
}

/** The standard loop's condition in `where`'s variables (no condition: loop until the maximum), or why it failed. */
function holds(run: Run, loop: StandardLoop, where: ElementInstance, body: ElementInstance): boolean | string {
  if (loop.condition === undefined) return true;
  const result = evaluateFeel(loop.condition, { ...run.variablesFor(where), loopCounter: body.loop!.started }, run.ctx.now);
  if (result.ok && typeof result.value === 'boolean') return result.value;
  const reason = result.ok ? `must give a boolean, got ${JSON.stringify(result.value)}` : result.message;
  return `Loop condition of '${body.elementId}' ${reason}`;
}

/** The counts a completion condition may read, by Camunda 8's names and Camunda 7's. */
function counters(state: LoopState): Variables {
  const active = state.started - state.completed - state.terminated;
  return {
    numberOfInstances: state.total,
    numberOfActiveInstances: active,
    numberOfCompletedInstances: state.completed,
    numberOfTerminatedInstances: state.terminated,
    nrOfInstances: state.total,
    nrOfActiveInstances: active,
    nrOfCompletedInstances: state.completed,
  };
}
