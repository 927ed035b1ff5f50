/**
 * People: a new user task is announced once through the human-task queue to
 * the webhook (signed), and retried when the webhook fails.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { fixture } from '../fixtures/people/client.js';

describe('people: task notifications', () => {
  let t: TestWeft;
  let hook: Server;
  const received: { body: string; signature: string | undefined }[] = [];
  let failFirst = true;

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-weft-signature'] as string | undefined });
        const fail = failFirst;
        failFirst = false;
        res.writeHead(fail ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    process.env.WEFT_TASK_WEBHOOK_URL = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    process.env.WEFT_TASK_WEBHOOK_SECRET = 'hook-secret';
    process.env.WEFT_TASK_NOTIFY_SCAN_MS = '100';
    process.env.WEFT_TASK_NOTIFY_BACKOFF_MS = '100';
    t = await startTestWeft();
    expect((await t.api.deploy([{ name: 'invoice-approval.bpmn', xml: fixture('invoice-approval.bpmn') }])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => hook?.close(resolve));
    for (const k of ['WEFT_TASK_WEBHOOK_URL', 'WEFT_TASK_WEBHOOK_SECRET', 'WEFT_TASK_NOTIFY_SCAN_MS', 'WEFT_TASK_NOTIFY_BACKOFF_MS']) delete process.env[k];
  });

  it('posts a signed task.created event once per task, retrying a failed delivery', async () => {
    // when
    const started = await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2030-01-01T00:00:00Z', priority: 70 } });
    expect(started.status).toBe(201);
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}`)).body.items[0]);

    // then: the first delivery failed (500), the retry arrived
    const deliveries = await eventually(async () => received.length >= 2 && received, 10_000);
    for (const d of deliveries) {
      expect(d.signature).toBe(`sha256=${createHmac('sha256', 'hook-secret').update(d.body).digest('hex')}`);
      expect(JSON.parse(d.body)).toMatchObject({
        type: 'task.created',
        link: `/inbox#task=${task.id}`,
        task: { id: task.id, name: 'Approve the invoice', candidateGroups: ['finance'], priority: 70 },
      });
    }
    // and later scans, which look back over the same task, do not announce it again
    await new Promise((r) => setTimeout(r, 800));
    expect(received).toHaveLength(2);
  });
});
