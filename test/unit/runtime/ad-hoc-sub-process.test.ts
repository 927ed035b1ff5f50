import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { scenario } from './scenario.js';

/** start → helper (ad-hoc: lookup (service task), ask (user task), note (script task)) → end */
function adHoc() {
  return model('p')
    .add('start', 'startEvent')
    .add('helper', 'adHocSubProcess', { jobType: { value: 'agent' }, retries: { value: '3' }, headers: { agent: 'helper' }, activities: ['lookup', 'ask', 'note'], children: [], startEventId: '' })
    .add('lookup', 'serviceTask', { parent: 'helper', jobType: { value: 'lookup' } })
    .add('ask', 'userTask', { parent: 'helper' })
    .add('note', 'scriptTask', { parent: 'helper', expression: '"noted " + topic', resultVariable: 'note' })
    .add('end', 'endEvent')
    .chain('start', 'helper', 'end')
    .build();
}

const agentJob = (s: ReturnType<typeof scenario>) => s.effectsOf('CREATE_JOB').find((e) => e.job.type === 'agent')!.job;

describe('runtime: ad-hoc sub-process with an agent', () => {
  it('asks the agent first, listing the activities it may choose', () => {
    // when
    const s = scenario(adHoc()).start({ ticket: 'T-1' });
    // then
    const job = agentJob(s);
    expect(job).toMatchObject({ elementId: 'helper', headers: { agent: 'helper' } });
    expect(job.variables.weftAdHoc).toEqual({
      scopeKey: s.instanceOf('helper').key,
      turn: 0,
      activities: [
        { elementId: 'lookup', name: 'lookup', kind: 'serviceTask' },
        { elementId: 'ask', name: 'ask', kind: 'userTask' },
        { elementId: 'note', name: 'note', kind: 'scriptTask' },
      ],
      results: [],
    });
  });

  it('runs the chosen activities with the agent\'s inputs, then asks again with their results; a user task can be a tool', () => {
    // given
    const s = scenario(adHoc()).start();
    // when the agent picks a service task and a user task
    s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: { adHocActivate: [{ elementId: 'lookup', variables: { q: 'vpn' }, toolCallId: 'c1' }, { elementId: 'ask', variables: { question: 'Which OS?' }, toolCallId: 'c2' }] } });
    // then both run inside the scope with the inputs
    expect(liveElements(s.state)).toEqual(['ask', 'helper', 'lookup']);
    expect(s.effectsOf('CREATE_JOB')[0].job).toMatchObject({ type: 'lookup', variables: { q: 'vpn' } });
    expect(s.effectsOf('CREATE_TASK')[0].task.variables).toMatchObject({ question: 'Which OS?' });
    // when both finish
    s.completeJob('lookup', { hits: ['KB-1'] });
    expect(s.effectsOf('CREATE_JOB')).toEqual([]); // still waiting for the person
    s.completeTask('ask', { answer: 'Linux' });
    // then the agent gets turn 1 with both results
    const next = agentJob(s);
    expect(next.variables.weftAdHoc as object).toMatchObject({
      turn: 1,
      results: [
        { elementId: 'lookup', toolCallId: 'c1', turn: 0, variables: { hits: ['KB-1'] } },
        { elementId: 'ask', toolCallId: 'c2', turn: 0, variables: { answer: 'Linux' } },
      ],
    });
  });

  it('records an activity that completes within its own activation, and asks again in the same step', () => {
    const s = scenario(adHoc()).start();
    s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: { adHocActivate: [{ elementId: 'note', variables: { topic: 'x' }, toolCallId: 'n1' }] } });
    expect((agentJob(s).variables.weftAdHoc as any).results).toEqual([{ elementId: 'note', toolCallId: 'n1', turn: 0, variables: { note: 'noted x' } }]);
  });

  it('completes when the agent is done, with its result variables', () => {
    const s = scenario(adHoc()).start();
    s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: { adHocDone: true, agentResult: { output: { answer: 42 } } } });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.rootVariables()).toEqual({ agentResult: { output: { answer: 42 } } });
  });

  it('opens an incident when the agent chooses something that is not an activity of the sub-process', () => {
    const s = scenario(adHoc()).start();
    s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: { adHocActivate: [{ elementId: 'end' }] } });
    expect(s.incident()).toMatchObject({ type: 'AD_HOC_ACTIVITY_UNKNOWN', elementId: 'helper' });
    // resolving asks the agent again
    s.resolve();
    expect((agentJob(s).variables.weftAdHoc as any).turn).toBe(1);
  });

  it('cancels the agent job and the running activities when terminated', () => {
    const s = scenario(adHoc()).start();
    s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: { adHocActivate: [{ elementId: 'ask' }] } });
    const taskId = s.taskId('ask');
    s.run({ type: 'CANCEL' });
    expect(s.effectsOf('FINISH_TASK')).toEqual([{ type: 'FINISH_TASK', taskId, state: 'CANCELED' }]);
    expect(s.state.status).toBe('CANCELED');
  });

  describe("with a job worker's result (Camunda's job result of type adHocSubProcess)", () => {
    const steer = (activateElements: { elementId: string; variables: Record<string, unknown> }[], fulfilled = false, cancel = false) => ({
      type: 'adHocSubProcess' as const,
      activateElements,
      completionConditionFulfilled: fulfilled,
      cancelRemainingInstances: cancel,
    });

    it('activates the named elements with local variables; the completion condition alone does not end what runs', () => {
      // given
      const s = scenario(adHoc()).start();
      // when
      s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: { plan: 'p' }, result: steer([{ elementId: 'lookup', variables: { q: 'vpn' } }], true) });
      // then
      expect(liveElements(s.state)).toEqual(['helper', 'lookup']);
      expect(s.effectsOf('CREATE_JOB')[0].job).toMatchObject({ type: 'lookup', variables: { q: 'vpn' } });
      // when
      s.completeJob('lookup', { hits: 1 });
      // then: done, not asked again
      expect(s.effectsOf('CREATE_JOB')).toEqual([]);
      expect(s.state.status).toBe('COMPLETED');
    });

    it('asks again when nothing was activated and the condition is not fulfilled', () => {
      // given
      const s = scenario(adHoc()).start();
      // when
      s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: {}, result: steer([]) });
      // then
      expect((agentJob(s).variables.weftAdHoc as any).turn).toBe(1);
    });

    it('cancels what still runs and completes at once when asked to cancel the remaining instances', () => {
      // given
      const s = scenario(adHoc()).start();
      // when
      s.run({ type: 'COMPLETE_JOB', jobKey: agentJob(s).key, variables: {}, result: steer([{ elementId: 'ask', variables: {} }], true, true) });
      // then
      expect(s.effectsOf('FINISH_TASK')).toEqual([{ type: 'FINISH_TASK', taskId: expect.any(String), state: 'CANCELED' }]);
      expect(s.state.status).toBe('COMPLETED');
    });

    it('refuses an element that is not choosable, naming it, and changes nothing', () => {
      // given
      const s = scenario(adHoc()).start();
      const jobKey = agentJob(s).key;
      // when
      const rejection = s.rejected({ type: 'COMPLETE_JOB', jobKey, variables: {}, result: steer([{ elementId: 'note', variables: {} }, { elementId: 'end', variables: {} }]) });
      // then
      expect(rejection).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining("result.activateElements[1].elementId: 'end'") });
      expect(s.state.jobs[jobKey]).toBeDefined();
    });
  });
});
