import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { agentRequestTask, deployFiles, eventually, instanceIn, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';

import { exampleWorkers } from '../../connectors/examples/example-workers.js';

const read = (path: string) => readFileSync(new URL(`../../processes/${path}`, import.meta.url), 'utf8');

describe('the example agent processes, end to end', () => {
  let a: AgentTest;
  const resolved: unknown[] = [];
  beforeAll(async () => {
    a = await startAgentTest();
    const deployed = await deployFiles(a.t, [
      { name: 'invoice-extractor.agent.json', content: read('agents/invoice-extractor.agent.json') },
      { name: 'ticket-triage.agent.json', content: read('agents/ticket-triage.agent.json') },
      { name: 'invoice-exception.bpmn', content: read('invoice-exception.bpmn') },
      { name: 'it-ticket-triage.bpmn', content: read('it-ticket-triage.bpmn') },
    ]);
    expect(deployed.status).toBe(201);
    expect(deployed.body.agents.map((x: any) => x.name).sort()).toEqual(['invoice-extractor', 'ticket-triage']);
    // The example workers npm start runs (connectors/examples): the agents' tool calls reach them as jobs.
    for (const [type, handler] of Object.entries(exampleWorkers)) {
      a.t.weft.worker(type, async (job) => {
        const result = await handler(job);
        if (type === 'example.ticket-resolve') resolved.push(job.variables);
        return result;
      });
    }
  });
  afterAll(async () => {
    await a?.stop();
  });

  const invoice = (total: number, currency = 'EUR') =>
    JSON.stringify({ vendor: 'Acme GmbH', invoiceNumber: 'INV-7', poNumber: 'PO-1', total, currency, poAmount: 1000, summary: `Acme invoice INV-7 over ${total} ${currency} against PO-1 (1000 EUR).`, confidence: 0.95, reasoning: 'clear scan' });

  const extractor = (reply: string) =>
    fakeModel()
      .respondWithTools([{ name: 'lookupPurchaseOrder', args: { poNumber: 'PO-1' }, id: 'po' }])
      .respond(new AIMessage(reply));

  it('invoice within tolerance: extracted, matched and approved automatically', async () => {
    a.worker(extractor(invoice(1010)));
    const id = await startInstance(a.t, 'invoice-exception', { sender: 'billing@acme.example', invoiceText: 'INVOICE INV-7 ... total 1010 EUR, PO-1' });
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables).toMatchObject({ approved: true, extractionDecision: 'proceed', invoice: { total: 1010, poAmount: 1000 } });
  });

  it('invoice outside tolerance: a person approves with the pre-filled summary', async () => {
    a.worker(extractor(invoice(1200)));
    const id = await startInstance(a.t, 'invoice-exception', { sender: 'billing@acme.example', invoiceText: 'INVOICE INV-7 ... total 1200 EUR, PO-1' });
    const task = await eventually(async () => (await a.t.api.get(`/api/tasks?processInstanceId=${id}`)).body.items[0]);
    expect(task).toMatchObject({ elementId: 'approve-exception', candidateGroups: ['accounts-payable'] });
    expect(task.variables.invoice.summary).toMatch(/over 1200 EUR against PO-1/);
    await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: false } });
    const done = await instanceIn(a.t, id, 'COMPLETED');
    expect(done.variables.approved).toBe(false);
  });

  it('invoice in an unsupported currency: the policy rejects it and the boundary event ends it as rejected', async () => {
    a.worker(extractor(invoice(1000, 'XAU')));
    const id = await startInstance(a.t, 'invoice-exception', { sender: 'x@example', invoiceText: '1000 XAU' });
    await instanceIn(a.t, id, 'COMPLETED');
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    expect(audit.find((e: any) => e.type === 'ELEMENT_ACTIVATED' && e.elementId === 'rejected')).toBeTruthy();
  });

  it('ticket with a known fix: classified, looked up and resolved automatically', async () => {
    a.worker(
      fakeModel()
        .respondWithTools([{ name: 'searchKnownIssues', args: { query: 'vpn disconnects' }, id: 'kb' }])
        .respond(new AIMessage(JSON.stringify({ category: 'network', action: 'auto-resolve', team: 'network', resolution: 'Reinstall the VPN profile', confidence: 0.9, reasoning: 'KB-42 matches' }))),
    );
    const id = await startInstance(a.t, 'it-ticket-triage', { ticketId: 'T-100', reporter: 'ann', subject: 'VPN drops', description: 'vpn disconnects hourly' });
    await instanceIn(a.t, id, 'COMPLETED');
    expect(resolved).toEqual([expect.objectContaining({ ticketId: 'T-100', resolution: 'Reinstall the VPN profile' })]);
    // the knowledge-base search was a job the example worker did, and its answer reached the model
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    expect(audit.find((e: any) => e.type === 'AGENT_TOOL_CALLED')?.payload).toMatchObject({ tool: 'searchKnownIssues', status: 'ok', result: { matches: [{ id: 'KB-42' }] } });
  });

  it('ticket with low confidence: reviewed by the service desk, then assigned to the team', async () => {
    const model = fakeModel().respond(new AIMessage(JSON.stringify({ category: 'apps', action: 'assign', team: 'apps', resolution: null, confidence: 0.4, reasoning: 'unclear' })));
    a.worker(model);
    const id = await startInstance(a.t, 'it-ticket-triage', { ticketId: 'T-101', reporter: 'bob', subject: 'Weird', description: 'something is off' });
    const review = await agentRequestTask(a.t, id, 'output-review');
    expect(review.candidateGroups).toEqual(['it-service-desk']);
    await a.t.api.post(`/api/tasks/${review.id}/complete`, { variables: { approved: true, output: { ...review.variables.proposal, team: 'workplace', confidence: 1 } } });
    const task = await eventually(async () => (await a.t.api.get(`/api/tasks?processInstanceId=${id}`)).body.items[0]);
    expect(task).toMatchObject({ elementId: 'work-ticket', candidateGroups: ['workplace'] });
    await a.t.api.post(`/api/tasks/${task.id}/complete`, { variables: {} });
    await instanceIn(a.t, id, 'COMPLETED');
  });
});
