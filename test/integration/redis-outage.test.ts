/**
 * Redis stopped (not flushed): the engine must keep answering. Postgres is the
 * truth, so a command commits and its outbox row waits for Redis; /health says
 * Redis is down; sign-in, which counts attempts in Redis, answers 503 with
 * Retry-After. When Redis is back the outbox sweep and the re-drive deliver
 * what was left and the instance finishes, with no restart and no job done
 * twice. Runs against a Redis server of its own, which it kills.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

const outageBpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="outage-definitions" targetNamespace="http://weft.dev/test">
  <bpmn:process id="redis-outage" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:serviceTask id="a"><bpmn:extensionElements><zeebe:taskDefinition type="outage-work" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:userTask id="review" />
    <bpmn:serviceTask id="b"><bpmn:extensionElements><zeebe:taskDefinition type="outage-work" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:parallelGateway id="join" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="a" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="review" />
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="b" />
    <bpmn:sequenceFlow id="f5" sourceRef="a" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="b" targetRef="join" />
    <bpmn:sequenceFlow id="f7" sourceRef="join" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** Runs a request with a hard bound, and says how long it took (a hang shows as `ms` at the bound and status 0). */
async function timed(request: (signal: AbortSignal) => Promise<Response>, boundMs = 10_000) {
  const started = Date.now();
  try {
    const res = await request(AbortSignal.timeout(boundMs));
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : null, ms: Date.now() - started };
  } catch {
    return { status: 0, retryAfter: null, body: null, ms: Date.now() - started };
  }
}

describe('Redis stopped while the engine runs', () => {
  let redis: PrivateRedis;
  let t: TestWeft;
  const worked: string[] = [];
  const measured: Record<string, number> = {};
  let api: (method: string, path: string, body?: unknown) => ReturnType<typeof timed>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestWeft({}, { redisUrl: redis.url });
    const headers = { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' };
    api = (method, path, body) => timed((signal) => fetch(t.weft.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal }));
    t.weft.worker('outage-work', async (job) => {
      worked.push(job.key);
      return {};
    });
    expect((await t.api.deploy([{ name: 'outage.bpmn', xml: outageBpmn }])).status).toBe(201);
    expect((await t.api.post('/api/users', { name: 'olga', role: 'operator', password: 'olga-password' })).status).toBe(201);
  });
  afterAll(async () => {
    console.log('redis-outage request times (ms):', JSON.stringify(measured));
    await redis?.startServer(); // a failed test may leave it down, and the engine's shutdown talks to it
    await t?.stop();
    await redis?.stop();
  });

  it('answers while Redis is down, and finishes the work once it is back', async () => {
    // given Redis is stopped
    await redis.stopServer();

    // when /health is asked, an instance is started, its user task completed over REST and someone signs in
    const health = await timed((signal) => fetch(`${t.weft.url}/health`, { signal }));
    const started = await api('POST', '/api/process-instances', { processId: 'redis-outage' });
    const id = (started.body?.id ?? (await t.weft.db('process_instances').first('id'))?.id) as string;
    const task = await eventually(async () => ((await t.api.get(`/api/tasks?processInstanceId=${id}`)).body.items as any[])[0]);
    const completed = await api('POST', `/api/tasks/${task.id}/complete`, { variables: {} });
    const signIn = await timed((signal) =>
      fetch(`${t.weft.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'olga', password: 'olga-password' }), signal }),
    );
    Object.assign(measured, { health: health.ms, start: started.ms, completeTask: completed.ms, signIn: signIn.ms });

    // then /health answers within ~1.5 s naming redis
    expect(health.ms).toBeLessThan(1500);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ redis: false, postgres: true, down: ['redis'] });
    // and the start and the completion commit (Postgres is the truth) promptly, never a hang or a 500
    expect(started.ms).toBeLessThan(3000);
    expect(started.status).toBe(201);
    expect(completed.ms).toBeLessThan(3000);
    expect(completed.status).toBe(200);
    // and the work waits in Postgres for Redis
    expect(worked).toEqual([]);
    // and sign-in answers 503 with Retry-After (the attempt cannot be counted), not a hang or a 500
    expect(signIn.ms).toBeLessThan(3000);
    expect(signIn.status).toBe(503);
    expect(Number(signIn.retryAfter)).toBeGreaterThan(0);

    // when Redis comes back (empty: it keeps nothing on disk)
    await redis.startServer();

    // then both jobs are worked, once each, and the instance finishes, with no restart
    await eventually(async () => (await t.api.get(`/api/process-instances/${id}`)).body.state === 'COMPLETED', 30_000);
    expect(worked).toHaveLength(2);
    expect(new Set(worked).size).toBe(2);
    const completions = await t.weft.db('audit').where({ type: 'JOB_COMPLETED' }).count({ count: '*' });
    expect(Number(completions[0].count)).toBe(2);
    // and the outbox sweep delivers what the commands left (a message for a job already done is not worked again)
    await eventually(async () => (await t.weft.db('outbox').count({ count: '*' }))[0].count === '0', 15_000);
    expect(worked).toHaveLength(2);
    // and health and sign-in are themselves again
    expect((await fetch(`${t.weft.url}/health`)).status).toBe(200);
    const again = await fetch(`${t.weft.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'olga', password: 'olga-password' }) });
    expect(again.status).toBe(200);
  }, 90_000);
});
