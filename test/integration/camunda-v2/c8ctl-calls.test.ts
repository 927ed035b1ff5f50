/**
 * The REST calls c8ctl (@camunda8/cli 4.1.0, read from its published
 * package: dist/commands/*.js and dist/core/client.js) makes, reproduced
 * with our 9.1 client: same methods, same arguments, same page shape
 * (core/client.js fetchAllPages: `{...filter, page: {limit: 100, after?}}`
 * and `{consistency: {waitUpToMs: 0}}`), against a real Weft.
 *
 * The c8ctl binary itself is not run here, because it does not install:
 * 4.1.0 is the only version published, it depends on
 * @camunda8/orchestration-cluster-api ^10.0.0-alpha.43 (npm install fails
 * with ETARGET: no such version can be resolved from the registry we use,
 * and it would not be our 9.1 client anyway), and it declares
 * engines.node >=22.18.0 while we run Node 20.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { bearerClient } from '../../support/camunda-clients.js';

const NOW = { consistency: { waitUpToMs: 0 } };
const TENANT = '<default>'; // config.js resolveTenantId: no session, profile or CAMUNDA_DEFAULT_TENANT_ID
/** What c8ctl sends for a .bpmn file (helpers/deploy-helpers.js, run.js). */
const bpmn = (name: string) => new File([new Uint8Array(readFileSync(new URL(`./${name}`, import.meta.url)))], name, { type: 'application/xml' });
const page = (filter: object, after?: string) => ({ ...filter, page: { limit: 100, ...(after ? { after } : {}) } });

describe('the calls c8ctl makes, through the 9.1 client', () => {
  let t: TestWeft;
  let c8: CamundaClient;
  beforeAll(async () => {
    t = await startTestWeft();
    c8 = bearerClient(t.weft.url!, t.weft.adminToken);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('get topology: getTopology() (also made before every deploy, to read gatewayVersion)', async () => {
    const topology = await c8.getTopology();
    expect(topology).toMatchObject({ gatewayVersion: expect.any(String), brokers: expect.any(Array) });
  });

  it('deploy: getTopology(), then createDeployment({tenantId, resources: [File application/xml]})', async () => {
    await c8.getTopology();
    const result = await c8.createDeployment({ tenantId: TENANT, resources: [bpmn('waits-for-events.bpmn'), bpmn('fails-with-inputs.bpmn')] } as never);
    expect(result.deploymentKey).toMatch(/^\d+$/);
    expect(result.processes.map((p) => p.processDefinitionId).sort()).toEqual(['v2-fails-with-inputs', 'v2-waits-for-events']);
  });

  it('run: createDeployment({tenantId, resources}), then createProcessInstance({processDefinitionId, tenantId, variables})', async () => {
    const deployed = await c8.createDeployment({ tenantId: TENANT, resources: [bpmn('waits-for-events.bpmn')] } as never);
    const created = await c8.createProcessInstance({ processDefinitionId: 'v2-waits-for-events', tenantId: TENANT, variables: { orderId: 'c8-run' } } as never);
    expect(deployed.deploymentKey).toMatch(/^\d+$/);
    expect(created.processInstanceKey).toMatch(/^\d+$/);
  });

  it('list process-instances: searchProcessInstances({filter: {tenantId, state: "ACTIVE"}, page: {limit: 100}}, {consistency: {waitUpToMs: 0}}), following endCursor', async () => {
    const { processInstanceKey } = await c8.createProcessInstance({ processDefinitionId: 'v2-waits-for-events', tenantId: TENANT, variables: { orderId: 'c8-list' } } as never);
    const first = await c8.searchProcessInstances(page({ filter: { tenantId: TENANT, state: 'ACTIVE' } }) as never, NOW);
    const next = await c8.searchProcessInstances(page({ filter: { tenantId: TENANT, state: 'ACTIVE' } }, first.page.endCursor!) as never, NOW);
    expect(first.items.map((i) => i.processInstanceKey)).toContain(processInstanceKey);
    expect(next.items).toEqual([]);
  });

  it('list incidents: searchIncidents({filter: {tenantId}, page}, NOW); resolve incident: resolveIncident({incidentKey})', async () => {
    // given an incident: a job failed with no retries left
    await c8.createProcessInstance({ processDefinitionId: 'v2-fails-with-inputs', tenantId: TENANT, variables: { amount: 3 } } as never);
    const [job] = (await c8.activateJobs({ type: 'v2-charge', maxJobsToActivate: 1, timeout: 30_000, worker: 'w' } as never)).jobs;
    await c8.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'declined' } as never);
    // when
    const listed = await c8.searchIncidents(page({ filter: { tenantId: TENANT } }) as never, NOW);
    const [incident] = listed.items;
    await c8.resolveIncident({ incidentKey: incident.incidentKey } as never);
    // then
    expect(listed.items).toHaveLength(1);
    expect((await c8.getIncident({ incidentKey: incident.incidentKey } as never, NOW)).state).toBe('RESOLVED');
  });

  it('publish message: publishMessage({name, tenantId, correlationKey, variables, timeToLive})', async () => {
    const published = await c8.publishMessage({ name: 'v2-paid', tenantId: TENANT, correlationKey: 'c8-list', variables: { paidBy: 'c8ctl' }, timeToLive: 0 } as never);
    expect(published.messageKey).toMatch(/^\d+$/);
  });

  // User tasks are being built on another branch; these are the exact calls c8ctl makes (dist/commands/user-tasks.js).
  it('list user-tasks: searchUserTasks({filter: {tenantId, state: "CREATED"}, page}, NOW); complete user-task: completeUserTask({userTaskKey, variables})', async () => {
    // given
    const form = new File([new Uint8Array(readFileSync(new URL('./approve-order.form', import.meta.url)))], 'approve-order.form', { type: 'application/json' });
    await c8.createDeployment({ tenantId: TENANT, resources: [bpmn('approve-order.bpmn'), form] } as never);
    const started = await c8.createProcessInstance({ processDefinitionId: 'v2-approve-order', tenantId: TENANT, variables: { order: { total: 5 } } } as never);
    // when
    const listed = await c8.searchUserTasks(page({ filter: { tenantId: TENANT, state: 'CREATED' } }) as never, NOW);
    const task = listed.items.find((i) => i.processInstanceKey === started.processInstanceKey)!;
    await c8.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true, reason: 'c8ctl' } } as never);
    // then
    expect(task).toMatchObject({ state: 'CREATED', elementId: 'approve', tenantId: TENANT });
    expect((await c8.getProcessInstance({ processInstanceKey: started.processInstanceKey } as never, NOW)).state).toBe('COMPLETED');
  });
});
