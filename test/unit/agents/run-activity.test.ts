/**
 * What a run is doing now, from what is recorded (run-activity.ts): the
 * journal while a worker holds the job's lease, the wait's reason, the end.
 */
import { describe, expect, it } from 'vitest';
import { currentActivity, type ActivityInput } from '../../../connectors/agents/run-activity.js';

const now = new Date('2026-12-03T12:00:00Z');
const at = (s: number) => new Date(now.getTime() - s * 1000);
const held = { state: 'ACTIVATED', deadline: new Date(now.getTime() + 60_000), availableAt: at(100) };
const run = (over: Partial<ActivityInput>): ActivityInput => ({ status: 'RUNNING', error: null, decision: null, updatedAt: at(50), endedAt: null, job: held, tail: [], ...over });
const model = (calls: { id: string; name: string }[], s = 20) => ({ kind: 'model', at: at(s), toolCalls: calls });

describe('an agent run\'s current activity', () => {
  it('is calling the model after the prompt, and after the last tool result of a step', () => {
    expect(currentActivity(run({ tail: [{ kind: 'prompt', at: at(30) }] }), now)).toMatchObject({ kind: 'calling-model', label: 'calling the model', since: at(30) });
    const tail = [model([{ id: 'a', name: 'lookup' }]), { kind: 'tool', at: at(10), toolCallId: 'a' }];
    expect(currentActivity(run({ tail }), now)).toMatchObject({ kind: 'calling-model', since: at(10) });
  });

  it('is calling the first tool of a model step without a journaled result', () => {
    const calls = [{ id: 'a', name: 'lookup' }, { id: 'b', name: 'refund' }];
    expect(currentActivity(run({ tail: [model(calls)] }), now)).toMatchObject({ kind: 'calling-tool', tool: 'lookup', label: 'calling tool lookup' });
    expect(currentActivity(run({ tail: [model(calls), { kind: 'tool', at: at(5), toolCallId: 'a' }] }), now)).toMatchObject({ kind: 'calling-tool', tool: 'refund' });
  });

  it('is checking the output after a final answer, finishing after the decision', () => {
    expect(currentActivity(run({ tail: [model([])] }), now).kind).toBe('checking-output');
    expect(currentActivity(run({ tail: [model([]), { kind: 'decision', at: at(1) }] }), now).kind).toBe('finishing');
  });

  it('never says "calling the model" once the worker\'s lease ran out (a crashed worker)', () => {
    const expired = { ...held, deadline: at(5) };
    expect(currentActivity(run({ job: expired, tail: [{ kind: 'prompt', at: at(30) }] }), now)).toMatchObject({ kind: 'lease-expired', since: at(5) });
    expect(currentActivity(run({ job: { state: 'ACTIVATABLE', deadline: null, availableAt: at(2) } }), now)).toMatchObject({ kind: 'waiting-for-worker', since: at(2) });
  });

  it('says a job in its retry backoff is retrying, and when, not that it waits for a worker', () => {
    const backoff = { state: 'ACTIVATABLE', deadline: null, availableAt: new Date(now.getTime() + 2000), updatedAt: at(1), errorMessage: 'Agent run failed: boom' };
    expect(currentActivity(run({ job: backoff }), now)).toMatchObject({ kind: 'retrying', label: 'retrying after a failed attempt', since: at(1), retryAt: backoff.availableAt, reason: 'Agent run failed: boom' });
    // once its backoff is over, no worker has taken it yet
    expect(currentActivity(run({ job: { ...backoff, availableAt: now } }), now)).toMatchObject({ kind: 'waiting-for-worker', since: now });
  });

  it('says what a waiting run waits for: a person (approval of which tool), a tool job, the kill switch', () => {
    const approval = run({ status: 'WAITING', waitingFor: 'decision', waitingRef: 'r-1', reviewTaskId: 't-1', tail: [model([{ id: 'a', name: 'refund' }]), { kind: 'approval', at: at(3), toolCallId: 'a' }] });
    expect(currentActivity(approval, now)).toMatchObject({ kind: 'waiting-for-person', request: 'approval', tool: 'refund', reviewInstanceId: 'r-1', reviewTaskId: 't-1', label: 'waiting for a person (approval of tool call refund)' });
    const tool = run({ status: 'WAITING', waitingFor: 'tool', waitingRef: 'j-1', tail: [model([{ id: 'a', name: 'lookup' }]), { kind: 'tool-job', at: at(3), toolCallId: 'a', type: 'erp' }] });
    expect(currentActivity(tool, now)).toMatchObject({ kind: 'waiting-for-tool-job', tool: 'lookup', toolJobKey: 'j-1' });
    // switched off while an approval was pending: the switch is what holds it now
    const switched = run({ status: 'WAITING', waitingFor: 'switch', error: 'all agents are disabled (global kill switch)', tail: approval.tail });
    expect(currentActivity(switched, now)).toMatchObject({ kind: 'stopped-by-kill-switch', reason: 'all agents are disabled (global kill switch)' });
  });

  it('dates a wait by what it waits on, not by its last re-check: the journal step asked for, or the switch wait\'s beginning', () => {
    const rechecked = { updatedAt: at(1) };
    const approval = run({ ...rechecked, status: 'WAITING', waitingFor: 'decision', tail: [model([{ id: 'a', name: 'refund' }]), { kind: 'approval', at: at(40), toolCallId: 'a' }] });
    expect(currentActivity(approval, now).since).toEqual(at(40));
    const review = run({ ...rechecked, status: 'WAITING', waitingFor: 'decision', tail: [model([]), { kind: 'review', at: at(35) }] });
    expect(currentActivity(review, now).since).toEqual(at(35));
    const tool = run({ ...rechecked, status: 'WAITING', waitingFor: 'tool', tail: [model([{ id: 'a', name: 'lookup' }]), { kind: 'tool-job', at: at(30), toolCallId: 'a', type: 'erp' }] });
    expect(currentActivity(tool, now).since).toEqual(at(30));
    const switched = run({ ...rechecked, status: 'WAITING', waitingFor: 'switch', waitingSince: at(300) });
    expect(currentActivity(switched, now).since).toEqual(at(300));
  });

  it('says how an ended run ended', () => {
    expect(currentActivity(run({ status: 'COMPLETED', endedAt: at(1) }), now)).toMatchObject({ kind: 'done', since: at(1) });
    expect(currentActivity(run({ status: 'FAILED', endedAt: at(1), error: 'limit' }), now)).toMatchObject({ kind: 'failed', reason: 'limit' });
    expect(currentActivity(run({ status: 'REJECTED', endedAt: at(1), decision: 'NOPE' }), now)).toMatchObject({ kind: 'rejected', label: 'rejected (BPMN error NOPE)' });
    expect(currentActivity(run({ status: 'CANCELED', endedAt: at(1) }), now).kind).toBe('canceled');
  });
});
