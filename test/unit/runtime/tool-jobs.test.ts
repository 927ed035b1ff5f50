import { describe, expect, it } from 'vitest';
import { model } from './process-builder.js';
import { scenario } from './scenario.js';
import type { Command } from '../../../engine/runtime/types.js';

/** start → triage (an agent task) → end, with an error boundary on the agent task */
function agentTask() {
  return model('p')
    .add('start', 'startEvent')
    .add('triage', 'serviceTask', { jobType: { value: 'agent' }, retries: { value: '3' }, headers: { agent: 'triage' } })
    .add('end', 'endEvent')
    .chain('start', 'triage', 'end')
    .build();
}

function toolJob(parentJobKey: string, toolCallId = 'call_1', toolJobKey = 'tool-1'): Command {
  return { type: 'CREATE_TOOL_JOB', parentJobKey, toolJobKey, toolCallId, jobType: 'erp-lookup', retries: 2, variables: { po: 'PO-1' }, headers: { 'weft.tool': 'lookup' } };
}

describe('runtime: an agent tool call as a job', () => {
  it('creates a job of the tool type on the agent task element, without touching the agent job', () => {
    // given
    const s = scenario(agentTask()).start();
    const agentJob = s.jobKey('triage');
    // when
    s.run(toolJob(agentJob));
    // then
    const instance = s.instanceOf('triage');
    expect(s.effectsOf('CREATE_JOB')).toEqual([
      { type: 'CREATE_JOB', job: { key: 'tool-1', type: 'erp-lookup', elementId: 'triage', elementInstanceKey: instance.key, retries: 2, headers: { 'weft.tool': 'lookup' }, variables: { po: 'PO-1' } } },
    ]);
    expect(s.state.jobs['tool-1']).toMatchObject({ state: 'ACTIVATABLE', toolCall: { parentJobKey: agentJob, toolCallId: 'call_1' } });
    expect(s.state.jobs[agentJob].toolJobs).toEqual({ call_1: 'tool-1' });
    expect(instance.jobKey).toBe(agentJob);
  });

  it('asked twice for the same call, creates one job', () => {
    // given
    const s = scenario(agentTask()).start();
    const agentJob = s.jobKey('triage');
    s.run(toolJob(agentJob));
    // when
    s.run(toolJob(agentJob));
    // then
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);
    expect(Object.keys(s.state.jobs)).toHaveLength(2);
  });

  it('completing the tool job keeps its result for the agent and hands out the waiting agent job at once', () => {
    // given the agent job waits (failed with its retries kept and a long backoff)
    const s = scenario(agentTask()).start();
    const agentJob = s.jobKey('triage');
    s.run(toolJob(agentJob));
    s.run({ type: 'FAIL_JOB', jobKey: agentJob, retries: 3, errorMessage: 'Waiting: tool', retryBackoffMs: 300_000 });
    // when
    s.run({ type: 'COMPLETE_JOB', jobKey: 'tool-1', variables: { total: 120 } });
    // then the element still waits for its agent, which is dispatched now
    expect(s.instanceOf('triage').state).toBe('ACTIVE');
    expect(s.state.jobs['tool-1']).toMatchObject({ state: 'COMPLETED', outcome: { state: 'COMPLETED', variables: { total: 120 } } });
    expect(s.effectTypes()).toEqual(['FINISH_JOB', 'RETRY_JOB']);
    expect(s.effectsOf('RETRY_JOB')).toEqual([{ type: 'RETRY_JOB', jobKey: agentJob, retries: 3, availableAt: s.ctx.now }]);
  });

  it('does not hand out an agent job that is still held by its attempt', () => {
    // given the agent job is activated (the attempt is still running)
    const s = scenario(agentTask()).start();
    const agentJob = s.jobKey('triage');
    s.state.jobs[agentJob].state = 'ACTIVATED';
    s.run(toolJob(agentJob));
    // when
    s.run({ type: 'COMPLETE_JOB', jobKey: 'tool-1', variables: {} });
    // then
    expect(s.effectTypes()).toEqual(['FINISH_JOB']);
  });

  it('a tool job out of retries and a tool BPMN error go back to the agent, not to an incident or a boundary event', () => {
    // given
    const s = scenario(agentTask()).start();
    const agentJob = s.jobKey('triage');
    s.run(toolJob(agentJob, 'a', 'tool-a'));
    s.run(toolJob(agentJob, 'b', 'tool-b'));
    // when
    s.run({ type: 'FAIL_JOB', jobKey: 'tool-a', retries: 0, errorMessage: 'ERP down' });
    s.run({ type: 'THROW_ERROR', jobKey: 'tool-b', errorCode: 'NOT_FOUND', errorMessage: 'no such PO', variables: {} });
    // then
    expect(s.state.incidents).toEqual({});
    expect(s.state.jobs['tool-a'].outcome).toEqual({ state: 'FAILED', errorMessage: 'ERP down' });
    expect(s.state.jobs['tool-b'].outcome).toEqual({ state: 'ERROR_THROWN', errorCode: 'NOT_FOUND', errorMessage: 'no such PO', variables: {} });
    expect(s.instanceOf('triage').state).toBe('ACTIVE');
  });

  it('a tool job with retries left is retried like any job', () => {
    // given
    const s = scenario(agentTask()).start();
    s.run(toolJob(s.jobKey('triage')));
    // when
    s.run({ type: 'FAIL_JOB', jobKey: 'tool-1', retries: 1, errorMessage: 'timeout', retryBackoffMs: 1000 });
    // then
    expect(s.effectTypes()).toEqual(['RETRY_JOB']);
    expect(s.state.jobs['tool-1'].state).toBe('ACTIVATABLE');
  });

  it('when the agent job completes, its tool jobs go with it and an open one is canceled', () => {
    // given one tool job done and one still open
    const s = scenario(agentTask()).start();
    const agentJob = s.jobKey('triage');
    s.run(toolJob(agentJob, 'a', 'tool-a'));
    s.run(toolJob(agentJob, 'b', 'tool-b'));
    s.run({ type: 'COMPLETE_JOB', jobKey: 'tool-a', variables: {} });
    // when
    s.run({ type: 'COMPLETE_JOB', jobKey: agentJob, variables: { agentResult: {} } });
    // then
    expect(s.effectsOf('FINISH_JOB')).toEqual([
      { type: 'FINISH_JOB', jobKey: 'tool-b', state: 'CANCELED' },
      { type: 'FINISH_JOB', jobKey: agentJob, state: 'COMPLETED' },
    ]);
    expect(s.state.status).toBe('COMPLETED');
    expect(s.state.jobs).toEqual({});
  });

  it('when the instance is canceled, open tool jobs are canceled', () => {
    // given
    const s = scenario(agentTask()).start();
    s.run(toolJob(s.jobKey('triage')));
    // when
    s.run({ type: 'CANCEL' });
    // then
    expect(s.effectsOf('FINISH_JOB').map((e) => [e.jobKey, e.state])).toEqual([
      ['tool-1', 'CANCELED'],
      [expect.any(String), 'CANCELED'],
    ]);
  });

  it('refuses a tool job for a job that is not open, or that is a tool job itself', () => {
    // given
    const s = scenario(agentTask()).start();
    s.run(toolJob(s.jobKey('triage')));
    // then
    expect(s.rejected(toolJob('nope'))).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect(s.rejected(toolJob('tool-1', 'x', 'tool-x'))).toMatchObject({ code: 'JOB_NOT_ACTIVE' });
  });
});
