/**
 * `npx weft connectors` (runConnectors): the built-in connectors in a
 * process of their own, the engine's connectors off, reporting over the REST
 * job API with a worker-scoped token and no database.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { connectorProcessSettings, runConnectors } from '../../../connectors/run-connectors.js';
import type { RunningConnectors } from '../../../connectors/sdk/start-connectors.js';

describe('the connectors as a process of their own', () => {
  let t: TestWeft;
  let peer: Server;
  let peerUrl: string;
  let running: RunningConnectors | undefined;

  beforeAll(async () => {
    const app = express();
    app.get('/orders/ok', (_req, res) => res.json({ status: 'open' }));
    peer = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    peerUrl = `http://127.0.0.1:${(peer.address() as { port: number }).port}`;
    t = await startTestWeft({}, { config: { connectors: { enabled: false, allow: [], maxResponseBytes: 1000 } } });
    expect((await t.api.deploy([{ name: 'rest-call.bpmn', xml: readFileSync(new URL('rest-call.bpmn', import.meta.url), 'utf8') }])).status).toBe(201);
  });
  afterAll(async () => {
    await running?.close();
    await t?.stop();
    await new Promise((resolve) => peer?.close(resolve));
  });

  it('names every setting it is missing', () => {
    expect(() => connectorProcessSettings({ WEFT_CONNECTOR_ALLOW: '10.0.0.0/40' })).toThrow(/WEFT_URL: must be the engine’s http\(s\) URL[\s\S]*WEFT_TOKEN: must be an API token[\s\S]*WEFT_CONNECTOR_ALLOW: '10.0.0.0\/40' is neither/);
  });

  it('does the engine’s HTTP jobs with a worker-scoped token', async () => {
    // given: a worker token, and the engine running no connectors itself
    expect((await t.api.post('/api/users', { name: 'connector-bot', role: 'user', password: 'connector-bot-password' })).status).toBe(201);
    const token = await t.api.post('/api/tokens', { user: 'connector-bot', name: 'connectors', scopes: ['worker'] });
    expect(token.status).toBe(201);
    const { body } = await t.api.post('/api/process-instances', { processId: 'rest-call', variables: { baseUrl: peerUrl, path: '/orders/ok', verb: 'GET', requestId: 'r-1' } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.api.get(`/api/process-instances/${body.id}`)).body.state).toBe('ACTIVE');

    // when
    running = await runConnectors({
      WEFT_URL: t.weft.url,
      WEFT_TOKEN: token.body.token,
      REDIS_URL: t.config.redisUrl,
      WEFT_QUEUE_PREFIX: t.config.queuePrefix,
      WEFT_CONNECTOR_ALLOW: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });

    // then
    const done = await eventually(async () => {
      const r = await t.api.get(`/api/process-instances/${body.id}`);
      return r.body.state === 'COMPLETED' && r.body;
    }, 15_000);
    expect(done.variables.orderStatus).toBe('open');
    const completedBy = (await t.api.get(`/api/process-instances/${body.id}/audit`)).body.items.find((e: any) => e.type === 'JOB_COMPLETED');
    expect(completedBy.actor).toBe('user:connector-bot');
  });
});
