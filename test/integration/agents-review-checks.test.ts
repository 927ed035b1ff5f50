import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import {
  agentDefinition,
  agentProcess,
  agentRequestTask,
  deployAgent,
  eventually,
  instanceIn,
  openIncident,
  runsOf,
  startAgentTest,
  startInstance,
  type AgentTest,
} from '../fixtures/agents/agent-harness.js';

/** Every output is validated, whoever produced it: the model's final answer and a reviewer's edit alike. */
describe('agent outputs a person reviewed', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
    // Every proposal goes to review (confidence 0.3 < 0.9); refunds above the process's maxRefund are rejected.
    const definition = agentDefinition({
      name: 'refund-proposer',
      output: {
        type: 'object',
        properties: { answer: { type: 'string' }, amount: { type: 'number', minimum: 0 }, confidence: { type: 'number' } },
        required: ['answer', 'amount'],
      },
      confidence: { field: 'confidence', threshold: 0.9 },
      policies: [{ when: 'output.amount > variables.maxRefund', decision: 'reject', errorCode: 'REFUND_TOO_HIGH', reason: 'above the refund limit' }],
      review: { candidateGroups: ['support'] },
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'refund-review', agent: 'refund-proposer', boundaryErrorCode: 'REFUND_TOO_HIGH' }), 'refund-review');
    await deployAgent(a.t, agentDefinition({ name: 'free-form', output: undefined, confidence: undefined }), agentProcess({ id: 'free-form', agent: 'free-form' }), 'free-form');
  });
  afterAll(async () => {
    await a?.stop();
  });

  const complete = (taskId: string, variables: Record<string, unknown>) => a.t.api.post(`/api/tasks/${taskId}/complete`, { variables });

  /** Until the agent job's wait is recorded (its n-th JOB_FAILED), so each test decides a run that waits. */
  async function agentWaiting(id: string, n = 1) {
    await eventually(async () => (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items.filter((e: any) => e.type === 'JOB_FAILED').length >= n);
  }

  async function reviewTask() {
    a.worker(fakeModel().respond(new AIMessage('{"answer": "refund", "amount": 40, "confidence": 0.3}')));
    const id = await startInstance(a.t, 'refund-review', { request: 'refund please', maxRefund: 100 });
    const task = await agentRequestTask(a.t, id, 'output-review');
    await agentWaiting(id);
    return { id, task };
  }

  it('refuses, naming the field, an edited output that breaks the schema, is null, is an array or trips a reject policy', async () => {
    // given a review task
    const { id, task } = await reviewTask();

    // when the reviewer approves edits that are not acceptable, then each completion is a 422 naming the field
    const cases: [unknown, string, RegExp][] = [
      [{ answer: 7, amount: 40 }, 'output.answer', /^must be string, got number$/],
      [{ answer: 'refund', amount: -5 }, 'output.amount', /^must be >= 0$/],
      [{ answer: 'refund' }, 'output.amount', /^is required$/],
      [null, 'output', /the output must be a JSON object, got null/],
      [[{ answer: 'refund', amount: 40 }], 'output', /the output must be a JSON object, got array/],
      [{ answer: 'refund', amount: 5000 }, 'output', /policies\.0 rejects this output: above the refund limit \(error REFUND_TOO_HIGH\)/],
    ];
    for (const [output, path, message] of cases) {
      const res = await complete(task.id, { approved: true, output });
      expect(res.status, JSON.stringify(output)).toBe(422);
      expect(res.body.error.code).toBe('VARIABLES_INVALID');
      expect(res.body.error.details).toEqual([{ path, message: expect.stringMatching(message) }]);
      expect(res.body.error.message).toContain(`cannot be taken: ${path}: `);
    }
    // and a decision that is not true/false is refused too (it would read as a rejection)
    const yes = await complete(task.id, { approved: 'yes' });
    expect(yes.status).toBe(422);
    expect(yes.body.error.details).toEqual([{ path: 'approved', message: 'must be true or false, got string' }]);
    // and so is a variable that would overwrite the request's own (here the proposal shown to the next reader)
    const extra = await complete(task.id, { approved: true, proposal: { answer: 'forged' } });
    expect(extra.body.error.details).toEqual([{ path: 'proposal', message: 'a decision on an output review carries approved, comment, output only' }]);

    // then the task is still open and the source instance waits
    expect((await a.t.api.get(`/api/tasks/${task.id}`)).body.state).toBe('CREATED');
    expect((await a.t.api.get(`/api/process-instances/${id}`)).body.state).toBe('ACTIVE');

    // when the reviewer corrects the edit
    expect((await complete(task.id, { approved: true, output: { answer: 'partial refund', amount: 90 } })).status).toBe(200);

    // then the corrected output is taken
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables.agentResult).toMatchObject({ output: { answer: 'partial refund', amount: 90 }, decision: 'reviewed-edited' });
  });

  it('the person\'s approval satisfies the confidence threshold; an unedited approval completes as reviewed-approved', async () => {
    const { id, task } = await reviewTask();
    expect((await complete(task.id, { approved: true })).status).toBe(200);
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables.agentResult).toMatchObject({ output: { answer: 'refund', amount: 40 }, decision: 'reviewed-approved' });
  });

  it('an edit that reaches the run another way is never taken: an invalid one is reviewed again, a rejected one still rejects', async () => {
    // given a review task completed past the task API (the engine's own command)
    const first = await reviewTask();
    await a.t.weft.engine.completeTask(first.task.id, { approved: true, output: [1, 2] }, 'test');

    // then the run asks again, saying why
    const again = await eventually(async () => {
      const tasks = (await a.t.api.get('/api/tasks?state=CREATED&limit=100')).body.items as any[];
      return tasks.find((t) => t.variables.sourceProcessInstanceId === first.id && t.id !== first.task.id);
    });
    expect(again.variables).toMatchObject({ kind: 'output-review', problems: ['$: the output must be a JSON object, got array'], proposal: { answer: 'refund', amount: 40 } });
    expect(again.variables.reason).toMatch(/the reviewed output was refused/);
    await agentWaiting(first.id, 2);
    // and a valid decision on the new task completes the run
    expect((await complete(again.id, { approved: true, output: { answer: 'refund', amount: 10 } })).status).toBe(200);
    expect((await instanceIn(a.t, first.id, 'COMPLETED')).variables.agentResult.output).toEqual({ answer: 'refund', amount: 10 });
    const [run] = await runsOf(a.t, first.id);
    const decisions = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body.decisions.map((d: any) => d.decision);
    expect(decisions).toEqual(['review-requested', 'review-requested', 'reviewed-edited']);

    // given another review completed past the API with an output a reject policy forbids
    const second = await reviewTask();
    await a.t.weft.engine.completeTask(second.task.id, { approved: true, output: { answer: 'refund', amount: 5000 } }, 'test');

    // then the policy's error is thrown, caught by the boundary event
    await instanceIn(a.t, second.id, 'COMPLETED');
    const audit = (await a.t.api.get(`/api/process-instances/${second.id}/audit`)).body.items;
    expect(audit.find((e: any) => e.type === 'ERROR_CAUGHT')).toMatchObject({ elementId: 'rejected', payload: { errorCode: 'REFUND_TOO_HIGH' } });
  });

  it('without an output schema, the model\'s final answer must still be a JSON object: null gets the repair round', async () => {
    // given
    const model = fakeModel().respond(new AIMessage('null')).respond(new AIMessage('{"answer": "fine"}'));
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'free-form', { request: 'x' });

    // then null was sent back for repair, and the repaired object taken
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables.agentResult.output).toEqual({ answer: 'fine' });
    expect(String(model.calls[1].messages.at(-1)!.content)).toContain('$: the output must be a JSON object, got null');
  });

  it('without an output schema, an array is not an output: an incident after the repair round', async () => {
    a.worker(fakeModel().respond(new AIMessage('[{"answer": "a"}]')).respond(new AIMessage('["still", "a list"]')));
    const id = await startInstance(a.t, 'free-form', { request: 'x' });
    const incident = await openIncident(a.t, id);
    expect(incident.message).toMatch(/after one repair round: \$: the output must be a JSON object, got array/);
  });
});
