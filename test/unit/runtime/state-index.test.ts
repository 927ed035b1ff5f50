import { describe, expect, it } from 'vitest';
import { step } from '../../../engine/runtime/step.js';
import { indexOf, plainState } from '../../../engine/runtime/state-index.js';
import type { InstanceState } from '../../../engine/runtime/types.js';
import { compiled } from './compiled.js';
import { testContext } from './process-builder.js';
import { scenario } from './scenario.js';

// multi-instance.bpmn: `check-each` runs a `check` job per item in parallel (outputs collected in `results`,
// an interrupting PT1H timer on the whole), then `approve-twice` and `retry`.
async function started(items: number): Promise<InstanceState> {
  const s = scenario(await compiled('multi-instance.bpmn')).start({ items: Array.from({ length: items }, (_, i) => i), attempts: 0 });
  return s.state;
}

describe('runtime: the state index (what a step touches)', () => {
  it('completing one run of a 1,000-run multi-instance touches that run, its job and its scopes, not its siblings', async () => {
    // given a body with 1,000 runs, each waiting on its job
    const definition = await compiled('multi-instance.bpmn');
    const state = await started(1000);
    const index = indexOf(state);
    index.takeTouched();
    const job = Object.values(index.raw.job)[500];
    const body = Object.values(index.raw.element).find((e) => e.loop)!;

    // when its run completes, stepped in place
    const result = step(definition, state, { type: 'COMPLETE_JOB', jobKey: job.key, variables: { checked: 'x' } }, testContext(), { inPlace: true });

    // then only the run, its body and the process were touched, and the job
    expect(result.ok).toBe(true);
    const touched = index.takeTouched();
    expect([...touched.job]).toEqual([job.key]);
    expect(touched.element.size).toBeLessThanOrEqual(3);
    expect(touched.element.has(job.elementInstanceKey)).toBe(true);
    expect(touched.wait.size).toBe(0);
    expect(index.childCount(body.key)).toBe(999);
  });

  it('knows the children of a scope as they come and go, and a step that ends them all leaves none', async () => {
    const definition = await compiled('multi-instance.bpmn');
    const state = await started(3);
    const index = indexOf(state);
    const body = Object.values(index.raw.element).find((e) => e.loop)!;
    expect(index.childCount(body.key)).toBe(3);
    for (const job of Object.values(index.raw.job)) step(definition, state, { type: 'COMPLETE_JOB', jobKey: job.key, variables: { checked: 'x' } }, testContext(), { inPlace: true });
    expect(state.elements[body.key]).toBeUndefined();
    expect(index.childCount(body.key)).toBe(0);
  });

  it('an entry changed through an object read earlier in the step is reported, since it was read through the map', async () => {
    const state = await started(2);
    const index = indexOf(state);
    index.takeTouched();
    const root = state.elements[state.id];
    root.variables!.note = 'changed';
    expect([...index.takeTouched().element]).toEqual([state.id]);
  });

  it('a step that is not in place hands back plain JSON and leaves its input as it was', async () => {
    const definition = await compiled('multi-instance.bpmn');
    const state = await started(2);
    indexOf(state);
    const before = structuredClone(plainState(state));
    const job = Object.values(state.jobs)[0];
    const result = step(definition, state, { type: 'COMPLETE_JOB', jobKey: job.key, variables: { checked: 'x' } }, testContext());
    expect(result.ok && structuredClone(result.state)).toBeTruthy();
    expect(plainState(state)).toEqual(before);
  });
});
