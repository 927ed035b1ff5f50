/**
 * Camunda's own TypeScript client (@camunda8/orchestration-cluster-api)
 * against a real Weft: configured as for Camunda 8 Self-Managed — a REST
 * address and OAuth client credentials pointed at Weft's /oauth/token, or
 * Basic, or a plain Bearer token — it deploys, starts, reads, searches and
 * cancels, and is refused as Weft's own API would refuse it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { bearerClient, oauthClient, statusOf } from '../../support/camunda-clients.js';

const fixture = (name: string) => new File([readFileSync(new URL(`./${name}`, import.meta.url))], name, { type: 'application/xml' });
const NOW = { consistency: { waitUpToMs: 0 } };

describe('Camunda 8 TypeScript client against Weft /v2', () => {
  let t: TestWeft;
  let base: string;
  let uma: string;
  beforeAll(async () => {
    t = await startTestWeft();
    base = t.weft.url!;
    await addUser(t.api, 'uma', 'user');
    uma = (await t.api.post('/api/tokens', { user: 'uma', name: 'v2' })).body.token;
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('deploys, starts (also awaiting the end), gets, searches and cancels with OAuth client credentials', async () => {
    // given
    const camunda = oauthClient(base, 'admin', t.weft.adminToken);
    // when
    const topology = await camunda.getTopology();
    const deployed = await camunda.createDeployment({ resources: [fixture('ends-at-once.bpmn'), fixture('waits.bpmn')] });
    const ended = await camunda.createProcessInstance({ processDefinitionId: 'v2-ends-at-once' as never, variables: { a: 1, b: 2 }, awaitCompletion: true, fetchVariables: ['a'] } as never);
    const waiting = await camunda.createProcessInstance({ processDefinitionId: 'v2-waits' as never, variables: { n: 1 } } as never);
    const got = await camunda.getProcessInstance({ processInstanceKey: waiting.processInstanceKey }, NOW);
    const found = await camunda.searchProcessInstances({ filter: { processDefinitionId: 'v2-waits', state: 'ACTIVE' } } as never, NOW);
    await camunda.cancelProcessInstance({ processInstanceKey: waiting.processInstanceKey } as never);
    const canceled = await camunda.getProcessInstance({ processInstanceKey: waiting.processInstanceKey }, NOW);
    const completed = await camunda.searchProcessInstances({ filter: { state: 'COMPLETED' } } as never, NOW);
    // then
    expect(topology.brokers[0].partitions).toEqual([{ partitionId: 1, role: 'leader', health: 'healthy' }]);
    expect(deployed.deploymentKey).toMatch(/^\d+$/);
    expect(deployed.deployments.map((d) => [d.processDefinition?.processDefinitionId, d.form, d.decisionDefinition])).toEqual([
      ['v2-ends-at-once', null, null],
      ['v2-waits', null, null],
    ]);
    expect(deployed.deployments[0].processDefinition?.processDefinitionKey).toMatch(/^\d+$/);
    expect(ended.variables).toEqual({ a: 1 });
    expect(ended.processDefinitionKey).toBe(deployed.deployments[0].processDefinition?.processDefinitionKey);
    expect(got).toMatchObject({ processInstanceKey: waiting.processInstanceKey, state: 'ACTIVE', processDefinitionId: 'v2-waits', tenantId: '<default>' });
    expect(found.items.map((i) => i.processInstanceKey)).toEqual([waiting.processInstanceKey]);
    expect(found.page.totalItems).toBe(1);
    expect(canceled.state).toBe('TERMINATED');
    expect(completed.items.map((i) => i.processInstanceKey)).toEqual([ended.processInstanceKey]);
  }, 60_000);

  it('takes a Weft API token as Bearer and as Basic (user name and token)', async () => {
    // given
    const bearer = bearerClient(base, t.weft.adminToken);
    const basic = createCamundaClient({ config: { CAMUNDA_REST_ADDRESS: base, CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: 'uma', CAMUNDA_BASIC_AUTH_PASSWORD: uma } as never, log: { level: 'silent' as never } });
    // when
    const me = await bearer.getAuthentication();
    const umaMe = await basic.getAuthentication();
    // then
    expect(me.username).toBe('admin');
    expect(umaMe.username).toBe('uma');
  });

  it('fails with 401 when the OAuth secret is wrong', async () => {
    // given
    const camunda = oauthClient(base, 'admin', 'not-the-token');
    // when
    const status = await statusOf(camunda.getTopology());
    const direct = await fetch(`${base}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'admin', client_secret: 'wrong' }) });
    // then
    expect(status).not.toBe(200);
    expect(direct.status).toBe(401);
    expect(await direct.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a plain user token a deployment (403) and deploys nothing', async () => {
    // given
    const before = (await t.api.get('/api/process-definitions')).body;
    const form = new FormData();
    form.append('resources', fixture('ends-at-once.bpmn'));
    const camunda = oauthClient(base, 'uma', uma);
    // when
    const viaClient = await statusOf(camunda.createDeployment({ resources: [new File(['<x/>'], 'other.bpmn')] }));
    const res = await fetch(`${base}/v2/deployments`, { method: 'POST', headers: { authorization: `Bearer ${uma}` }, body: form });
    // then
    expect(viaClient).toBe(403);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 403, title: 'FORBIDDEN', detail: expect.stringContaining('needs the admin or modeler role') });
    expect((await t.api.get('/api/process-definitions')).body).toEqual(before);
  });

  it('answers bad input with a problem+json 4xx naming the field', async () => {
    // given
    const headers = { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' };
    // when
    const wrongType = await fetch(`${base}/v2/process-instances`, { method: 'POST', headers, body: JSON.stringify({ processDefinitionId: 42 }) });
    const unknownFilter = await fetch(`${base}/v2/process-instances/search`, { method: 'POST', headers, body: JSON.stringify({ filter: { colour: 'red' } }) });
    const malformed = await fetch(`${base}/v2/process-instances`, { method: 'POST', headers, body: '{' });
    const noSuchKey = await fetch(`${base}/v2/process-instances/123`, { headers });
    const noToken = await fetch(`${base}/v2/topology`);
    // then
    for (const res of [wrongType, unknownFilter, malformed, noSuchKey, noToken]) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect([wrongType.status, unknownFilter.status, malformed.status, noSuchKey.status, noToken.status]).toEqual([400, 400, 400, 404, 401]);
    expect((await wrongType.json()).detail).toContain('processDefinitionId');
    expect((await unknownFilter.json()).detail).toContain('colour');
  });

  it('says healthy with 204 on /v2/status without credentials', async () => {
    expect((await fetch(`${base}/v2/status`)).status).toBe(204);
  });
});
