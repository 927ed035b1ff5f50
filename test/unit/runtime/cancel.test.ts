import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

/** start → fork → (a | approve (user task) | sub [ subStart → inner ]) */
function busy() {
  return model('p')
    .add('start', 'startEvent')
    .add('fork', 'parallelGateway')
    .add('a', 'serviceTask', { jobType: { value: 'a' } })
    .add('approve', 'userTask')
    .add('sub', 'subProcess')
    .add('subStart', 'startEvent', { parent: 'sub' })
    .add('inner', 'serviceTask', { parent: 'sub', jobType: { value: 'inner' } })
    .add('calc', 'scriptTask', { expression: 'missing + 1', resultVariable: 'r' })
    .chain('start', 'fork', 'a')
    .chain('fork', 'approve')
    .chain('fork', 'sub')
    .chain('fork', 'calc')
    .chain('subStart', 'inner')
    .build();
}

describe('runtime: CANCEL', () => {
  it('cancels every job and task, resolves open incidents and ends the instance CANCELED', () => {
    // given
    const s = scenario(busy()).start();
    const jobA = s.jobKey('a');
    const jobInner = s.jobKey('inner');
    const taskId = s.taskId('approve');
    s.run({ type: 'FAIL_JOB', jobKey: jobA, retries: 0, errorMessage: 'down' });
    const incidents = Object.keys(s.state.incidents).sort();
    expect(incidents).toHaveLength(2); // the script task's and the failed job's
    // when
    s.run({ type: 'CANCEL' });
    // then
    expect(s.state.status).toBe('CANCELED');
    expect(s.state.elements[INSTANCE_ID].state).toBe('TERMINATED');
    expect(liveElements(s.state)).toEqual([]);
    expect(s.state.jobs).toEqual({});
    expect(s.state.incidents).toEqual({});
    expect(s.effectsOf('FINISH_JOB')).toEqual(
      expect.arrayContaining([
        { type: 'FINISH_JOB', jobKey: jobA, state: 'CANCELED' },
        { type: 'FINISH_JOB', jobKey: jobInner, state: 'CANCELED' },
      ]),
    );
    expect(s.effectsOf('FINISH_JOB')).toHaveLength(2);
    expect(s.effectsOf('FINISH_TASK')).toEqual([{ type: 'FINISH_TASK', taskId, state: 'CANCELED' }]);
    expect(s.effectsOf('RESOLVE_INCIDENT').map((e) => e.incidentId).sort()).toEqual(incidents);
    expect(s.effectTypes().at(-1)).toBe('INSTANCE_ENDED');
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([{ type: 'INSTANCE_ENDED', status: 'CANCELED' }]);
    expect(s.trace().slice(-2)).toEqual(['ELEMENT_TERMINATED p', 'INSTANCE_CANCELED']);
    // the sub-process's child is terminated before the sub-process itself
    const terminated = s.trace().filter((t) => t.startsWith('ELEMENT_TERMINATED'));
    expect(terminated.indexOf('ELEMENT_TERMINATED inner')).toBeLessThan(terminated.indexOf('ELEMENT_TERMINATED sub'));
    expect(terminated).toHaveLength(6); // a, approve, inner, sub, calc, p
  });

  it('rejects commands on a canceled instance', () => {
    // given
    const s = scenario(busy()).start();
    const jobKey = s.jobKey('inner');
    s.run({ type: 'CANCEL' });
    // when
    const complete = s.rejected({ type: 'COMPLETE_JOB', jobKey, variables: {} });
    const cancel = s.rejected({ type: 'CANCEL' });
    // then
    expect(complete.code).toBe('INSTANCE_NOT_ACTIVE');
    expect(cancel.code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it('does not cancel a user task that was already completed while its output mapping holds the element', () => {
    // given the task was completed but its output mapping failed
    const definition = model('p')
      .add('start', 'startEvent')
      .add('approve', 'userTask', { outputs: [{ source: { feel: 'decision.reason' }, target: 'reason' }] })
      .add('end', 'endEvent')
      .chain('start', 'approve', 'end')
      .build();
    const s = scenario(definition).start();
    const taskId = s.taskId('approve');
    s.completeTask('approve', {});
    expect(s.effectsOf('FINISH_TASK')).toEqual([{ type: 'FINISH_TASK', taskId, state: 'COMPLETED' }]);
    expect(s.incident().type).toBe('IO_MAPPING_FAILED');
    // when
    s.run({ type: 'CANCEL' });
    // then the task is not reported canceled after being reported completed
    expect(s.effectsOf('FINISH_TASK')).toEqual([]);
    expect(s.effectsOf('RESOLVE_INCIDENT')).toHaveLength(1);
    expect(s.state.status).toBe('CANCELED');
  });

  it('does not cancel a job that was already completed while its output mapping holds the element', () => {
    // given
    const definition = model('p')
      .add('start', 'startEvent')
      .add('work', 'serviceTask', { outputs: [{ source: { feel: 'result.value' }, target: 'value' }] })
      .add('end', 'endEvent')
      .chain('start', 'work', 'end')
      .build();
    const s = scenario(definition).start();
    s.completeJob('work', {});
    expect(s.incident().type).toBe('IO_MAPPING_FAILED');
    // when
    s.run({ type: 'CANCEL' });
    // then
    expect(s.effectsOf('FINISH_JOB')).toEqual([]);
    expect(s.state.status).toBe('CANCELED');
  });
});
