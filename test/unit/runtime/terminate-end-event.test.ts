import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

describe('runtime: terminate end event', () => {
  /** start → fork → (work → end | review → kill) */
  function topLevel() {
    return model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('work', 'serviceTask', { jobType: { value: 'work' } })
      .add('other', 'userTask')
      .add('review', 'userTask')
      .add('end', 'endEvent')
      .add('kill', 'terminateEndEvent')
      .chain('start', 'fork', 'work', 'end')
      .chain('fork', 'other', 'end')
      .chain('fork', 'review', 'kill')
      .build();
  }

  it('at the top level terminates the other branches and ends the instance TERMINATED', () => {
    // given
    const s = scenario(topLevel()).start();
    const jobKey = s.jobKey('work');
    const otherTask = s.taskId('other');
    // when
    s.completeTask('review');
    // then
    expect(s.state.status).toBe('TERMINATED');
    expect(s.state.elements[INSTANCE_ID].state).toBe('TERMINATED');
    expect(liveElements(s.state)).toEqual([]);
    expect(s.state.jobs).toEqual({});
    expect(s.effectTypes()).toEqual(['FINISH_TASK', 'FINISH_JOB', 'FINISH_TASK', 'INSTANCE_ENDED']);
    expect(s.effectsOf('FINISH_JOB')).toEqual([{ type: 'FINISH_JOB', jobKey, state: 'CANCELED' }]);
    expect(s.effectsOf('FINISH_TASK')[1]).toEqual({ type: 'FINISH_TASK', taskId: otherTask, state: 'CANCELED' });
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([{ type: 'INSTANCE_ENDED', status: 'TERMINATED' }]);
    expect(s.trace().slice(-8)).toEqual([
      'ELEMENT_ACTIVATED kill',
      'JOB_CANCELED work',
      'ELEMENT_TERMINATED work',
      'TASK_CANCELED other',
      'ELEMENT_TERMINATED other',
      'ELEMENT_COMPLETED kill',
      'ELEMENT_TERMINATED p',
      'INSTANCE_TERMINATED',
    ]);
  });

  it('resolves the incidents of the branches it terminates', () => {
    // given the other branch's job has failed for good
    const s = scenario(topLevel()).start();
    s.run({ type: 'FAIL_JOB', jobKey: s.jobKey('work'), retries: 0, errorMessage: 'down' });
    const incidentId = s.incident().id;
    // when
    s.completeTask('review');
    // then
    expect(s.state.incidents).toEqual({});
    expect(s.effectsOf('RESOLVE_INCIDENT')).toEqual([{ type: 'RESOLVE_INCIDENT', incidentId }]);
    expect(s.state.status).toBe('TERMINATED');
  });

  it('inside a sub-process ends only the sub-process, which completes, and the process goes on', () => {
    // given a sub-process whose one branch terminates while the other waits, and a task outside
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('outside', 'serviceTask', { jobType: { value: 'outside' } })
      .add('sub', 'subProcess')
      .add('subStart', 'startEvent', { parent: 'sub' })
      .add('subFork', 'parallelGateway', { parent: 'sub' })
      .add('inner', 'serviceTask', { parent: 'sub', jobType: { value: 'inner' } })
      .add('innerEnd', 'endEvent', { parent: 'sub' })
      .add('check', 'serviceTask', { parent: 'sub', jobType: { value: 'check' } })
      .add('kill', 'terminateEndEvent', { parent: 'sub' })
      .add('after', 'serviceTask', { jobType: { value: 'after' } })
      .add('end', 'endEvent')
      .chain('start', 'fork', 'outside', 'end')
      .chain('fork', 'sub', 'after', 'end')
      .chain('subStart', 'subFork', 'inner', 'innerEnd')
      .chain('subFork', 'check', 'kill')
      .build();
    const s = scenario(definition).start();
    const innerJob = s.jobKey('inner');
    const outsideJob = s.jobKey('outside');
    // when
    s.completeJob('check');
    // then
    expect(s.state.status).toBe('ACTIVE');
    expect(s.effectsOf('FINISH_JOB')).toEqual([
      { type: 'FINISH_JOB', jobKey: s.effectsOf('FINISH_JOB')[0].jobKey, state: 'COMPLETED' },
      { type: 'FINISH_JOB', jobKey: innerJob, state: 'CANCELED' },
    ]);
    expect(s.trace()).toContain('ELEMENT_COMPLETED sub');
    expect(s.trace()).not.toContain('ELEMENT_TERMINATED sub');
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([]);
    expect(liveElements(s.state)).toEqual(['after', 'outside']);
    expect(s.state.jobs[outsideJob]).toBeDefined();

    // when the rest completes
    s.completeJob('outside');
    s.completeJob('after');
    // then
    expect(s.state.status).toBe('COMPLETED');
  });

  it('clears arrivals waiting at a join in the terminated scope', () => {
    // given a join that has one of its two tokens when the terminate end event is reached
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('a', 'serviceTask')
      .add('b', 'serviceTask')
      .add('join', 'parallelGateway')
      .add('end', 'endEvent')
      .add('stop', 'userTask')
      .add('kill', 'terminateEndEvent')
      .chain('start', 'fork', 'a', 'join', 'end')
      .chain('fork', 'b', 'join')
      .chain('fork', 'stop', 'kill')
      .build();
    const s = scenario(definition).start();
    s.completeJob('a');
    expect(s.state.elements[INSTANCE_ID].joins).toBeDefined();
    // when
    s.completeTask('stop');
    // then
    expect(s.state.status).toBe('TERMINATED');
    expect(s.state.elements[INSTANCE_ID].joins).toBeUndefined();
  });
});
