/**
 * Camunda's TypeScript client publishes and correlates messages, broadcasts
 * signals, finds and resolves incidents and reads variables on Weft, with
 * Weft's roles: a plain user is refused (403) and nothing changes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { bearerClient, statusOf } from '../../support/camunda-clients.js';

const fixture = (name: string) => new File([readFileSync(new URL(`./${name}`, import.meta.url))], name, { type: 'application/xml' });
const NOW = { consistency: { waitUpToMs: 0 } };

describe('messages, signals, incidents and variables through the Camunda client', () => {
  let t: TestWeft;
  let camunda: CamundaClient;
  let asUser: CamundaClient;
  beforeAll(async () => {
    t = await startTestWeft();
    camunda = bearerClient(t.weft.url!, t.weft.adminToken);
    await addUser(t.api, 'uma', 'user');
    asUser = bearerClient(t.weft.url!, (await t.api.post('/api/tokens', { user: 'uma', name: 'v2' })).body.token);
    await camunda.createDeployment({ resources: [fixture('waits-for-events.bpmn'), fixture('fails-with-inputs.bpmn')] });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  const start = async (processDefinitionId: string, variables: Record<string, unknown>) => (await camunda.createProcessInstance({ processDefinitionId, variables } as never)).processInstanceKey;
  const stateOf = async (processInstanceKey: string) => (await camunda.getProcessInstance({ processInstanceKey } as never, NOW)).state;

  it('correlates a message to the waiting instance and then moves it on with a signal', async () => {
    // given
    const key = await start('v2-waits-for-events', { orderId: 'A-1' });
    // when
    const correlated = await camunda.correlateMessage({ name: 'v2-paid', correlationKey: 'A-1', variables: { paidBy: 'card' } } as never);
    const signal = await camunda.broadcastSignal({ signalName: 'v2-go' } as never);
    // then
    expect(correlated).toMatchObject({ tenantId: '<default>', processInstanceKey: key, messageKey: expect.stringMatching(/^\d+$/) });
    expect(signal).toMatchObject({ tenantId: '<default>', signalKey: expect.stringMatching(/^\d+$/) });
    expect(await stateOf(key)).toBe('COMPLETED');
  });

  it('answers a correlation that reaches no one with 404', async () => {
    // when
    const status = await statusOf(camunda.correlateMessage({ name: 'v2-paid', correlationKey: 'nobody' } as never));
    // then
    expect(status).toBe(404);
  });

  it('buffers a published message for an instance that starts waiting later, and refuses the same message id while it is buffered', async () => {
    // given
    const published = await camunda.publishMessage({ name: 'v2-paid', correlationKey: 'B-2', timeToLive: 60_000, messageId: 'pay-B-2' } as never);
    // when
    const again = await statusOf(camunda.publishMessage({ name: 'v2-paid', correlationKey: 'B-2', timeToLive: 60_000, messageId: 'pay-B-2' } as never));
    const key = await start('v2-waits-for-events', { orderId: 'B-2' });
    // then
    expect(published).toMatchObject({ tenantId: '<default>', messageKey: expect.stringMatching(/^\d+$/) });
    expect(again).toBe(409);
    const [listed] = (await t.api.get('/api/process-instances?processId=v2-waits-for-events&state=ACTIVE')).body.items;
    const waiting = (await t.api.get(`/api/process-instances/${listed.id}`)).body;
    expect(waiting.elements.filter((e: { state: string }) => e.state === 'ACTIVE').map((e: { elementId: string }) => e.elementId)).toEqual(['go']);
    expect(await stateOf(key)).toBe('ACTIVE');
  });

  it('refuses a plain user a publication, a correlation and a broadcast (403), and nothing moves', async () => {
    // given
    const key = await start('v2-waits-for-events', { orderId: 'C-3' });
    // when
    const statuses = [
      await statusOf(asUser.publishMessage({ name: 'v2-paid', correlationKey: 'C-3' } as never)),
      await statusOf(asUser.correlateMessage({ name: 'v2-paid', correlationKey: 'C-3' } as never)),
      await statusOf(asUser.broadcastSignal({ signalName: 'v2-go' } as never)),
    ];
    // then
    expect(statuses).toEqual([403, 403, 403]);
    const correlated = await camunda.correlateMessage({ name: 'v2-paid', correlationKey: 'C-3' } as never);
    expect(correlated.processInstanceKey).toBe(key);
  });

  it('finds the incident of a job out of retries by Camunda names, resolves it, and the job is worked again', async () => {
    // given
    const key = await start('v2-fails-with-inputs', { amount: 21 });
    const [job] = (await camunda.activateJobs({ type: 'v2-charge', maxJobsToActivate: 1, timeout: 30_000, worker: 'w' } as never)).jobs;
    await camunda.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'card declined' } as never);
    // when
    const found = await camunda.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE', errorType: 'JOB_NO_RETRIES' } } as never, NOW);
    const [incident] = found.items;
    const got = await camunda.getIncident({ incidentKey: incident.incidentKey } as never, NOW);
    const byUser = await statusOf(asUser.resolveIncident({ incidentKey: incident.incidentKey } as never));
    const stillOpen = (await camunda.getIncident({ incidentKey: incident.incidentKey } as never, NOW)).state;
    await camunda.resolveIncident({ incidentKey: incident.incidentKey } as never);
    const resolved = await camunda.searchIncidents({ filter: { incidentKey: incident.incidentKey } } as never, NOW);
    const [again] = (await camunda.activateJobs({ type: 'v2-charge', maxJobsToActivate: 1, timeout: 30_000, worker: 'w' } as never)).jobs;
    // then
    expect(found.page.totalItems).toBe(1);
    expect(incident).toMatchObject({
      processInstanceKey: key,
      processDefinitionId: 'v2-fails-with-inputs',
      elementId: 'charge',
      elementInstanceKey: job.elementInstanceKey,
      jobKey: job.jobKey,
      errorType: 'JOB_NO_RETRIES',
      errorMessage: expect.stringContaining('card declined'),
      state: 'ACTIVE',
      tenantId: '<default>',
      processDefinitionKey: job.processDefinitionKey,
    });
    expect(got).toEqual(incident);
    expect(byUser).toBe(403);
    expect(stillOpen).toBe('ACTIVE');
    expect(resolved.items.map((i) => i.state)).toEqual(['RESOLVED']);
    expect(again.jobKey).toBe(job.jobKey);
    await camunda.completeJob({ jobKey: again.jobKey, variables: {} } as never);
    expect(await stateOf(key)).toBe('COMPLETED');
  });

  it('reads variables of the process and of an element scope as JSON text, cut when asked, and whole by key', async () => {
    // given
    const long = 'x'.repeat(9000);
    const key = await start('v2-fails-with-inputs', { amount: 5, note: long, customer: { name: 'Ada' } });
    const [job] = (await camunda.activateJobs({ type: 'v2-charge', maxJobsToActivate: 1, timeout: 30_000, worker: 'w' } as never)).jobs;
    // when
    const all = await camunda.searchVariables({ filter: { processInstanceKey: key }, sort: [{ field: 'name' }] } as never, NOW);
    const whole = await camunda.searchVariables({ filter: { processInstanceKey: key, name: 'note' }, truncateValues: false } as never, NOW);
    const byValue = await camunda.searchVariables({ filter: { processInstanceKey: key, value: '10' } } as never, NOW);
    const local = await camunda.searchVariables({ filter: { scopeKey: job.elementInstanceKey } } as never, NOW);
    const note = all.items.find((v) => v.name === 'note')!;
    const byKey = await camunda.getVariable({ variableKey: note.variableKey } as never, NOW);
    const byUser = await statusOf(asUser.searchVariables({ filter: { processInstanceKey: key } } as never, NOW));
    // then
    expect(all.items.map((v) => [v.name, v.scopeKey === key ? 'process' : v.scopeKey])).toEqual([
      ['amount', 'process'],
      ['customer', 'process'],
      ['doubled', job.elementInstanceKey],
      ['note', 'process'],
    ]);
    expect(JSON.parse(all.items.find((v) => v.name === 'customer')!.value)).toEqual({ name: 'Ada' });
    expect(note.value).toHaveLength(8191);
    expect((note as { isTruncated?: boolean }).isTruncated).toBe(true);
    expect(JSON.parse(whole.items[0].value)).toBe(long);
    expect(byValue.items.map((v) => v.name)).toEqual(['doubled']);
    expect(local.items.map((v) => [v.name, v.value, v.processInstanceKey])).toEqual([['doubled', '10', key]]);
    expect(JSON.parse(byKey.value)).toBe(long);
    expect(byUser).toBe(403);
  });

  it('gives two instances different element instance keys for the same element', async () => {
    // given
    const first = await start('v2-fails-with-inputs', { amount: 1 });
    const second = await start('v2-fails-with-inputs', { amount: 2 });
    // when
    const jobs = (await camunda.searchJobs({ filter: { type: 'v2-charge', state: 'CREATED' } } as never, NOW)).items.filter((j) => [first, second].includes(j.processInstanceKey));
    // then
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.elementInstanceKey)).size).toBe(2);
  });

  it('answers a bad search with a problem+json 400 naming the field', async () => {
    // given
    const headers = { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown) => fetch(`${t.weft.url}/v2${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    // when
    const answers = [
      await post('/incidents/search', { filter: { errorType: 'NOT_A_TYPE' } }),
      await post('/incidents/search', { filter: { creationTime: { $near: '2026-01-01T00:00:00Z' } } }),
      await post('/variables/search', { filter: { value: 'not json' } }),
      await post('/messages/publication', { name: 'v2-paid', timeToLive: -1 }),
      await post('/signals/broadcast', { name: 'v2-go' }),
    ];
    // then
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    const details = await Promise.all(answers.map(async (a) => (await a.json()).detail as string));
    expect(details[0]).toContain('errorType');
    expect(details[1]).toContain('creationTime');
    expect(details[2]).toContain('value');
    expect(details[3]).toContain('timeToLive');
    expect(details[4]).toContain('signalName');
  });
});
