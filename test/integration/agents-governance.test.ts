import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOrphanedReviews } from '../../connectors/agents/orphaned-reviews.js';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import {
  agentDefinition,
  agentProcess,
  agentRequestTask,
  deployAgent,
  deployFiles,
  instanceIn,
  openIncident,
  runsOf,
  startAgentTest,
  startInstance,
  type AgentTest,
} from '../fixtures/agents/agent-harness.js';

describe('agent governance', () => {
  let a: AgentTest;
  beforeAll(async () => {
    a = await startAgentTest();
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('holds a needs-approval tool call until a person approves it in the inbox, without calling the model again', async () => {
    // given
    const refunds: unknown[] = [];
    a.tools.register('refund', (args) => {
      refunds.push(args);
      return { refunded: true };
    });
    const definition = agentDefinition({
      name: 'refunder',
      tools: [
        { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'args.amount <= 50' },
        { name: 'refund', kind: 'worker', workerType: 'refund', policy: 'needs-approval' },
      ],
      review: { candidateGroups: ['finance'], dueInHours: 24 },
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'approval', agent: 'refunder' }), 'approval');
    const model = fakeModel()
      .respondWithTools([{ name: 'refund', args: { orderId: 'o-9', amount: 400 }, id: 'r1' }])
      .respond(new AIMessage('{"answer": "refunded 400"}'));
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'approval', { request: 'refund order o-9' });
    const task = await agentRequestTask(a.t, id, 'tool-approval');

    // then: waiting, nothing refunded, the model asked once
    expect(task.candidateGroups).toEqual(['finance']);
    expect(task.dueDate).not.toBeNull();
    expect(task.variables.toolCall).toEqual({ name: 'refund', args: { orderId: 'o-9', amount: 400 } });
    await new Promise((r) => setTimeout(r, 600)); // the run waits without polling: the decision wakes it
    expect(refunds).toEqual([]);
    expect(model.callCount).toBe(1);
    expect((await a.t.api.get(`/api/process-instances/${id}`)).body.state).toBe('ACTIVE');

    // when the person approves
    expect((await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: true } })).status).toBe(200);

    // then
    await instanceIn(a.t, id, 'COMPLETED');
    expect(refunds).toEqual([{ orderId: 'o-9', amount: 400 }]);
    expect(model.callCount).toBe(2);
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items.map((e: any) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['AGENT_APPROVAL_REQUESTED', 'AGENT_APPROVAL_DECIDED', 'AGENT_TOOL_CALLED']));
    // one wait on the record, not one per polling round
    expect(audit.filter((type: string) => type === 'JOB_FAILED')).toHaveLength(1);
  });

  it('a model argument named variables cannot stand in for the process variables in a tool condition', async () => {
    // given: refunds up to the process's autoApproveLimit run at once, larger ones need approval
    const refunds: unknown[] = [];
    a.tools.register('refund-small', (args) => {
      refunds.push(args);
      return { refunded: true };
    });
    const definition = agentDefinition({
      name: 'limited-refunder',
      tools: [
        { name: 'refund', kind: 'worker', workerType: 'refund-small', policy: 'allow', when: 'args.amount <= variables.autoApproveLimit' },
        { name: 'refund', kind: 'worker', workerType: 'refund-small', policy: 'needs-approval' },
      ],
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'forged-variables', agent: 'limited-refunder' }), 'forged-variables');
    // when the model sends its own `variables` with a huge limit
    const model = fakeModel()
      .respondWithTools([{ name: 'refund', args: { orderId: 'o-1', amount: 900, variables: { autoApproveLimit: 1_000_000 } }, id: 'f1' }])
      .respond(new AIMessage('{"answer": "refunded"}'));
    a.worker(model);
    const id = await startInstance(a.t, 'forged-variables', { request: 'refund o-1', autoApproveLimit: 50 });

    // then the condition read the process's limit (50): the call waits for a person, nothing refunded
    const task = await agentRequestTask(a.t, id, 'tool-approval');
    expect(task.variables.toolCall.args).toEqual({ orderId: 'o-1', amount: 900, variables: { autoApproveLimit: 1_000_000 } });
    expect(refunds).toEqual([]);

    // and the person's decision carries approved and comment only: nothing that would overwrite the request's own variables
    const forged = await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: 'true', agentJobKey: task.variables.agentJobKey } });
    expect(forged.status).toBe(422);
    expect(forged.body.error.details.map((p: any) => p.path)).toEqual(['agentJobKey', 'approved']);
  });

  it('refuses at deploy a definition whose conditions read bare names, naming file, field, name and fix', async () => {
    // given conditions that could read a model argument or output field as if it were a process variable
    const definition = agentDefinition({
      name: 'ambiguous',
      tools: [{ name: 'refund', kind: 'worker', workerType: 'refund', policy: 'allow', when: 'amount <= 50' }],
      policies: [{ when: 'total > approvalLimit', decision: 'review' }],
    });

    // when
    const res = await deployFiles(a.t, [{ name: 'ambiguous.agent.json', content: JSON.stringify(definition) }]);

    // then
    expect(res.status).toBe(422);
    const problems = res.body.error.details.problems;
    expect(problems.map((p: any) => [p.file, p.field])).toEqual([
      ['ambiguous.agent.json', 'tools.0.when'],
      ['ambiguous.agent.json', 'policies.0.when'],
      ['ambiguous.agent.json', 'policies.0.when'],
    ]);
    expect(problems[0].message).toMatch(/bare name 'amount'.*write args\.amount or variables\.amount/);
    expect(problems[2].message).toMatch(/bare name 'approvalLimit'.*write output\.approvalLimit or variables\.approvalLimit/);
  });

  it('stops a definition stored with a bare-name reject policy (deployed before the rule) instead of letting its output through', async () => {
    // given: a reject policy on a flag, stored as definitions deployed before bare names were refused
    await deployAgent(a.t, agentDefinition({ name: 'old-guard', policies: [{ when: 'output.flagged = true', decision: 'reject', errorCode: 'FLAGGED' }] }), agentProcess({ id: 'old-guard', agent: 'old-guard' }), 'old-guard');
    await a.t.weft.db.raw(`UPDATE agent_definitions SET definition = jsonb_set(definition::jsonb, '{policies,0,when}', to_jsonb('flagged = true'::text)) WHERE name = 'old-guard'`);
    const model = fakeModel().respond(new AIMessage('{"answer": "send it", "flagged": true}'));
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'old-guard', { request: 'anything' });

    // then: a bare name reads null, so `flagged = true` is false and the reject would be skipped; the run stops before it starts
    const incident = await openIncident(a.t, id);
    expect(incident.message).toMatch(/policies\.0\.when: .*bare name 'flagged'/);
    expect(model.callCount).toBe(0);
  });

  it('feeds schema errors back once and takes the repaired output', async () => {
    // given
    const definition = agentDefinition({ name: 'repairer', output: { type: 'object', properties: { category: { enum: ['billing', 'tech'] } }, required: ['category'], additionalProperties: false } });
    await deployAgent(a.t, definition, agentProcess({ id: 'repair', agent: 'repairer' }), 'repair');
    const model = fakeModel().respond(new AIMessage('{"category": "money", "extra": 1}')).respond(new AIMessage('```json\n{"category": "billing"}\n```'));
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'repair', { request: 'invoice wrong' });

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables.agentResult.output).toEqual({ category: 'billing' });
    const repairPrompt = String(model.calls[1].messages.at(-1)!.content);
    expect(repairPrompt).toContain('$.category: must be one of "billing", "tech"');
    expect(repairPrompt).toContain('$.extra: is not allowed');
  });

  it('opens an incident when the repaired output is still invalid', async () => {
    const definition = agentDefinition({ name: 'hopeless', output: { type: 'object', required: ['category'] } });
    await deployAgent(a.t, definition, agentProcess({ id: 'hopeless', agent: 'hopeless' }), 'hopeless');
    a.worker(fakeModel().respond(new AIMessage('not json')).respond(new AIMessage('{"nope": 1}')));
    const id = await startInstance(a.t, 'hopeless', { request: 'x' });
    const incident = await openIncident(a.t, id);
    expect(incident.message).toMatch(/output does not match its output schema after one repair round: \$\.category: is required/);
  });

  it('sends a low-confidence output to review; the reviewer approves with an edit', async () => {
    // given
    const definition = agentDefinition({ name: 'classifier', confidence: { field: 'confidence', threshold: 0.8 }, review: { candidateGroups: ['triage'] } });
    await deployAgent(a.t, definition, agentProcess({ id: 'review', agent: 'classifier', outputs: [['=agentResult.output.answer', 'answer']] }), 'review');
    a.tools.register('kb', () => ({ hit: 'KB-1' }));
    const model = fakeModel().respond(new AIMessage('{"answer": "network", "confidence": 0.42, "reasoning": "mentions wifi"}'));
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'review', { request: 'wifi slow' });
    const task = await agentRequestTask(a.t, id, 'output-review');

    // then the task shows the proposal, confidence, reasoning and evidence
    expect(task.candidateGroups).toEqual(['triage']);
    expect(task.variables).toMatchObject({ proposal: { answer: 'network', confidence: 0.42 }, confidence: 0.42, reasoning: 'mentions wifi', evidence: [], reason: expect.stringMatching(/below the threshold 0.8/) });

    // when the reviewer edits and approves
    await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: true, output: { answer: 'hardware', confidence: 1 } } });

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables.answer).toBe('hardware');
    expect(model.callCount).toBe(1);
    const [run] = await runsOf(a.t, id);
    const transcript = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body;
    expect(transcript.decisions.map((d: any) => d.decision)).toEqual(['review-requested', 'reviewed-edited']);
  });

  it('throws the policy error code on reject, caught by the boundary event', async () => {
    // given
    const definition = agentDefinition({ name: 'gatekeeper', policies: [{ when: 'output.answer = "wire everything"', decision: 'reject', errorCode: 'UNSAFE_PROPOSAL' }] });
    await deployAgent(a.t, definition, agentProcess({ id: 'reject', agent: 'gatekeeper', boundaryErrorCode: 'UNSAFE_PROPOSAL' }), 'reject');
    a.worker(fakeModel().respond(new AIMessage('{"answer": "wire everything"}')));

    // when
    const id = await startInstance(a.t, 'reject', { request: 'pay the supplier' });

    // then
    await instanceIn(a.t, id, 'COMPLETED');
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    const types = audit.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['AGENT_POLICY_DECISION', 'JOB_ERROR_THROWN', 'ERROR_CAUGHT']));
    expect(audit.find((e: any) => e.type === 'ELEMENT_ACTIVATED' && e.elementId === 'handled')).toBeTruthy();
    expect(audit.find((e: any) => e.type === 'ELEMENT_ACTIVATED' && e.elementId === 'end')).toBeUndefined();
  });

  it('stops with an incident naming the limit when the model keeps calling tools', async () => {
    // given
    a.tools.register('ping', () => 'pong');
    const definition = agentDefinition({ name: 'looper', tools: [{ name: 'ping', kind: 'worker', workerType: 'ping', policy: 'allow' }], limits: { maxModelCalls: 3 } });
    await deployAgent(a.t, definition, agentProcess({ id: 'limit', agent: 'looper' }), 'limit');
    const model = fakeModel();
    for (let i = 0; i < 5; i++) model.respondWithTools([{ name: 'ping', args: {}, id: `p${i}` }]);
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'limit', { request: 'loop' });

    // then
    const incident = await openIncident(a.t, id);
    expect(incident).toMatchObject({ type: 'JOB_NO_RETRIES', elementId: 'agent-task' });
    expect(incident.message).toMatch(/exceeded its limit maxModelCalls/);
    expect(model.callCount).toBe(3);
  });

  it('tells the model when a person declines a tool call, and the run goes on without it', async () => {
    // given
    const wiped: unknown[] = [];
    a.tools.register('wipe-device', (args) => wiped.push(args));
    const definition = agentDefinition({ name: 'wiper', tools: [{ name: 'wipeDevice', kind: 'worker', workerType: 'wipe-device', policy: 'needs-approval' }] });
    await deployAgent(a.t, definition, agentProcess({ id: 'declined', agent: 'wiper' }), 'declined');
    const model = fakeModel()
      .respondWithTools([{ name: 'wipeDevice', args: { device: 'laptop-7' }, id: 'w1' }])
      .respond(new AIMessage('{"answer": "not wiped"}'));
    a.worker(model);
    const id = await startInstance(a.t, 'declined', { request: 'laptop stolen?' });
    const task = await agentRequestTask(a.t, id, 'tool-approval');

    // when
    await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: false, comment: 'not stolen, just lost in the office' } });

    // then
    await instanceIn(a.t, id, 'COMPLETED');
    expect(wiped).toEqual([]);
    expect(String(model.calls[1].messages.at(-1)!.content)).toBe('A person declined this tool call: not stolen, just lost in the office.');
  });

  it('throws the review error code when the reviewer rejects the proposal', async () => {
    // given
    const definition = agentDefinition({ name: 'doubtful', confidence: { field: 'confidence', threshold: 0.9 }, review: { candidateGroups: ['qa'], rejectErrorCode: 'PROPOSAL_REJECTED' } });
    await deployAgent(a.t, definition, agentProcess({ id: 'review-reject', agent: 'doubtful', boundaryErrorCode: 'PROPOSAL_REJECTED' }), 'review-reject');
    a.worker(fakeModel().respond(new AIMessage('{"answer": "maybe", "confidence": 0.5}')));
    const id = await startInstance(a.t, 'review-reject', { request: 'x' });
    const task = await agentRequestTask(a.t, id, 'output-review');

    // when
    await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: false, comment: 'wrong' } });

    // then: caught by the boundary event
    await instanceIn(a.t, id, 'COMPLETED');
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    expect(audit.find((e: any) => e.type === 'ERROR_CAUGHT')).toMatchObject({ elementId: 'rejected', payload: { errorCode: 'PROPOSAL_REJECTED' } });
  });

  it('stops with an incident naming maxTokens when the token budget is spent', async () => {
    const definition = agentDefinition({ name: 'wordy', limits: { maxModelCalls: 5, maxTokens: 300 } });
    await deployAgent(a.t, definition, agentProcess({ id: 'tokens', agent: 'wordy' }), 'tokens');
    a.worker(fakeModel().respond(new AIMessage({ content: '{"answer": "long"}', usage_metadata: { input_tokens: 500, output_tokens: 100, total_tokens: 600 } })));
    const id = await startInstance(a.t, 'tokens', { request: 'x' });
    const incident = await openIncident(a.t, id);
    expect(incident.message).toMatch(/exceeded its limit maxTokens: 600 tokens used, the limit is 300/);
  });

  it('cancels the approval task when the instance the agent works for is canceled', async () => {
    // given an agent waiting for an approval
    const definition = agentDefinition({
      name: 'orphaned',
      tools: [{ name: 'wire', kind: 'worker', workerType: 'wire-money', policy: 'needs-approval' }],
      review: { candidateGroups: ['finance'] },
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'orphaned-approval', agent: 'orphaned' }), 'orphaned-approval');
    a.worker(fakeModel().respondWithTools([{ name: 'wire', args: { amount: 9000 }, id: 'w1' }]));
    const id = await startInstance(a.t, 'orphaned-approval', { request: 'wire 9000' });
    const task = await agentRequestTask(a.t, id, 'tool-approval');

    // when the source instance is canceled and the sweep runs
    expect((await a.t.api.post(`/api/process-instances/${id}/cancel`)).status).toBe(200);
    await cancelOrphanedReviews(a.t.weft.db, a.t.weft.engine);

    // then the approval task is gone from the inbox, its review instance canceled, the run closed
    expect((await a.t.api.get(`/api/tasks/${task.id}`)).body.state).toBe('CANCELED');
    expect((await a.t.api.get(`/api/process-instances/${task.processInstanceId}`)).body.state).toBe('CANCELED');
    const [run] = (await a.t.api.get(`/api/agent-runs?processInstanceId=${id}`)).body.items;
    expect(run.status).toBe('CANCELED');
    // and a second sweep finds nothing left
    expect(await cancelOrphanedReviews(a.t.weft.db, a.t.weft.engine)).toBe(0);
  });
});
