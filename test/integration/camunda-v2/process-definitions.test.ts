/**
 * Camunda's TypeScript client finds process definitions on Weft, reads one
 * and its XML. GET /api/process-definitions admits everyone (the inbox
 * shows a task's diagram), so no role is refused here: a plain user reads
 * them as /api lets it, and only an unknown credential is turned away.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { bearerClient, statusOf } from '../../support/camunda-clients.js';

const xml = readFileSync(new URL('./one-job.bpmn', import.meta.url), 'utf8');
const NOW = { consistency: { waitUpToMs: 0 } };

describe('process definitions through the Camunda client', () => {
  let t: TestWeft;
  let camunda: CamundaClient;
  let asUser: CamundaClient;
  let processDefinitionId: string;
  beforeAll(async () => {
    t = await startTestWeft();
    camunda = bearerClient(t.weft.url!, t.weft.adminToken);
    await addUser(t.api, 'uma', 'user');
    asUser = bearerClient(t.weft.url!, (await t.api.post('/api/tokens', { user: 'uma', name: 'v2' })).body.token);
    const first = await camunda.createDeployment({ resources: [new File([xml], 'one-job.bpmn', { type: 'application/xml' })] });
    processDefinitionId = first.processes[0].processDefinitionId;
    // a second version: the same process with another name
    await camunda.createDeployment({ resources: [new File([xml.replace(/<bpmn:process ([^>]*)>/, '<bpmn:process $1><!-- v2 -->')], 'one-job-v2.bpmn', { type: 'application/xml' })] });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('finds every version, the latest only, and sorts by version', async () => {
    // when
    const all = await camunda.searchProcessDefinitions({ filter: { processDefinitionId }, sort: [{ field: 'version', order: 'DESC' }] } as never, NOW);
    const latest = await camunda.searchProcessDefinitions({ filter: { processDefinitionId, isLatestVersion: true } } as never, NOW);
    // then
    expect(all.items.map((d) => d.version)).toEqual([2, 1]);
    expect(all.page.totalItems).toBe(2);
    expect(all.items[1]).toMatchObject({ processDefinitionId, resourceName: 'one-job.bpmn', tenantId: '<default>', versionTag: null, hasStartForm: false, state: 'ACTIVE', processDefinitionKey: expect.stringMatching(/^\d+$/) });
    expect(latest.items.map((d) => [d.version, d.resourceName])).toEqual([[2, 'one-job-v2.bpmn']]);
  });

  it('reads one definition by its key, and its XML as the text deployed', async () => {
    // given
    const [first] = (await camunda.searchProcessDefinitions({ filter: { processDefinitionId, version: 1 } } as never, NOW)).items;
    // when
    const definition = await camunda.getProcessDefinition({ processDefinitionKey: first.processDefinitionKey } as never, NOW);
    const text = await camunda.getProcessDefinitionXml({ processDefinitionKey: first.processDefinitionKey } as never, NOW);
    // then
    expect(definition).toEqual(first);
    expect(text).toBe(xml);
  });

  it('answers an unknown key with 404, and a filter Weft cannot answer with 400 naming it', async () => {
    // when
    const statuses = [
      await statusOf(camunda.getProcessDefinition({ processDefinitionKey: '999999999' } as never, NOW)),
      await statusOf(camunda.getProcessDefinitionXml({ processDefinitionKey: '999999999' } as never, NOW)),
    ];
    const refused = await fetch(`${t.weft.url}/v2/process-definitions/search`, { method: 'POST', headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ filter: { versionTag: 'v1' } }) });
    const unknown = await fetch(`${t.weft.url}/v2/process-definitions/search`, { method: 'POST', headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ filter: { bpmnProcessId: 'x' } }) });
    // then
    expect(statuses).toEqual([404, 404]);
    expect(refused.status).toBe(400);
    expect((await refused.json()).detail).toContain('filter.versionTag');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).detail).toContain('bpmnProcessId');
  });

  it('lets a plain user read definitions, as /api does, and refuses an unknown token (401)', async () => {
    // given
    const stranger = bearerClient(t.weft.url!, 'not-a-token');
    // when
    const found = await asUser.searchProcessDefinitions({ filter: { processDefinitionId } } as never, NOW);
    const xmlStatus = await statusOf(asUser.getProcessDefinitionXml({ processDefinitionKey: found.items[0].processDefinitionKey } as never, NOW));
    const strangerStatus = await statusOf(stranger.searchProcessDefinitions({} as never, NOW));
    // then
    expect(found.items).toHaveLength(2);
    expect(xmlStatus).toBe(200);
    expect(strangerStatus).toBe(401);
  });
});
