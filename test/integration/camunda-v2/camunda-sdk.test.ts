/**
 * The older @camunda8/sdk 8.8 REST client (CamundaRestClient) against Weft
 * with its BEARER strategy: a Weft API token as the bearer token, nothing
 * else configured but the REST address.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Camunda8 } from '@camunda8/sdk';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';

describe('@camunda8/sdk REST client (BEARER) against Weft /v2', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('deploys, starts with and without waiting for the result, and cancels', async () => {
    // given
    const c8 = new Camunda8({ CAMUNDA_AUTH_STRATEGY: 'BEARER', CAMUNDA_OAUTH_TOKEN: t.weft.adminToken, ZEEBE_REST_ADDRESS: t.weft.url, CAMUNDA_LOG_LEVEL: 'none' } as never);
    const rest = c8.getCamundaRestClient();
    // when
    const topology = await rest.getTopology();
    const deployed = await rest.deployResourcesFromFiles([fileURLToPath(new URL('./ends-at-once.bpmn', import.meta.url)), fileURLToPath(new URL('./waits.bpmn', import.meta.url))]);
    const result = await rest.createProcessInstanceWithResult({ processDefinitionId: 'v2-ends-at-once', variables: { done: true } });
    const waiting = await rest.createProcessInstance({ processDefinitionId: 'v2-waits', variables: {} });
    await rest.cancelProcessInstance({ processInstanceKey: waiting.processInstanceKey });
    const instance = (await t.api.get('/api/process-instances?processId=v2-waits')).body.items[0];
    // then
    expect(topology.brokers.length).toBe(1);
    expect(deployed.processes.map((p) => p.processDefinitionId)).toEqual(['v2-ends-at-once', 'v2-waits']);
    expect(result.variables).toEqual({ done: true });
    expect(instance.state).toBe('CANCELED');
  }, 60_000);
});
