/**
 * The REST job protocol, as a worker written in another language uses it:
 * activate, complete, fail (with and without retries), throw a BPMN error,
 * and the incidents that follow. No BullMQ worker runs in this file: jobs are
 * only ever handed out by POST /api/jobs/activate.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');

describe('the REST job API', () => {
  let t: TestWeft;

  /** A job type no other test uses (the diagram reads its job types from the variable `jobType`). */
  const freshType = () => `charge-${randomUUID().slice(0, 8)}`;

  async function start(jobType: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType, ...variables } });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function activate(type: string, options: { maxJobs?: number; timeoutMs?: number } = {}): Promise<any[]> {
    const res = await t.api.post('/api/jobs/activate', { type, workerId: 'python-worker-1', maxJobs: options.maxJobs ?? 10, timeoutMs: options.timeoutMs ?? 60_000 });
    expect(res.status).toBe(200);
    return res.body.jobs;
  }

  /** Activates the one job of `type`, waiting for it to become activatable. */
  const activateOne = (type: string, timeoutMs = 10_000) =>
    eventually(async () => {
      const jobs = await activate(type, { maxJobs: 1 });
      return jobs[0];
    }, timeoutMs);

  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  const auditTypes = async (id: string): Promise<string[]> => (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.map((e: any) => e.type);

  beforeAll(async () => {
    t = await startTestWeft();
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: fixture('two-jobs.bpmn') }])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('hands out at most maxJobs jobs, each with its variables and headers, and never the same job twice', async () => {
    // given
    const type = freshType();
    const ids = [await start(type, { orderId: 'o-1' }), await start(type, { orderId: 'o-2' }), await start(type, { orderId: 'o-3' })];

    // when
    const first = await activate(type, { maxJobs: 2 });
    const second = await activate(type, { maxJobs: 10 });
    const third = await activate(type, { maxJobs: 10 });

    // then
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect(third).toEqual([]);
    const jobs = [...first, ...second];
    expect(new Set(jobs.map((j) => j.key)).size).toBe(3);
    expect(jobs.map((j) => j.processInstanceId).sort()).toEqual([...ids].sort());
    for (const job of jobs) {
      expect(job).toMatchObject({
        key: expect.any(String),
        type,
        processId: 'two-jobs',
        elementId: 'charge',
        retries: 3,
        headers: { currency: 'EUR', provider: 'acme-pay' },
        variables: { jobType: type, orderId: expect.stringMatching(/^o-[123]$/) },
      });
      expect(Date.parse(job.deadline)).toBeGreaterThan(Date.now());
    }
  });

  it('never hands the same job to two workers activating at the same time', async () => {
    // given
    const type = freshType();
    for (let i = 0; i < 4; i++) await start(type);

    // when
    const batches = await Promise.all(Array.from({ length: 8 }, () => activate(type, { maxJobs: 1 })));

    // then
    const keys = batches.flat().map((j) => j.key);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
  });

  it('moves the instance on when a job is completed, with the variables the worker sent', async () => {
    // given
    const type = freshType();
    const id = await start(type, { amount: 42 });
    const charge = await activateOne(type);

    // when
    const res = await t.api.post(`/api/jobs/${charge.key}/complete`, { variables: { receipt: 'r-42' } });

    // then
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, duplicate: false });
    const ship = await activateOne(`${type}-ship`);
    expect(ship).toMatchObject({ processInstanceId: id, elementId: 'ship', variables: { amount: 42, receipt: 'r-42' } });
    expect((await t.api.post(`/api/jobs/${ship.key}/complete`, {})).status).toBe(200);
    expect(await instance(id)).toMatchObject({ state: 'COMPLETED', endedAt: expect.any(String), variables: { amount: 42, receipt: 'r-42' } });
  });

  it('answers a second completion with duplicate:true and records it once', async () => {
    // given
    const type = freshType();
    const id = await start(type);
    const job = await activateOne(type);
    await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { n: 1 } });

    // when
    const again = await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { n: 2 } });

    // then
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ok: true, duplicate: true });
    expect((await auditTypes(id)).filter((type) => type === 'JOB_COMPLETED')).toHaveLength(1);
    expect((await instance(id)).variables.n).toBe(1);
  });

  it('hands a job out again when its worker lets the timeout pass', async () => {
    // given
    const type = freshType();
    await start(type);
    const [held] = await activate(type, { maxJobs: 1, timeoutMs: 300 });
    expect(held).toBeDefined();
    expect(await activate(type)).toEqual([]);

    // when: the deadline passes without a completion
    const again = await eventually(async () => (await activate(type, { maxJobs: 1 }))[0], 10_000);

    // then
    expect(again.key).toBe(held.key);
    expect((await t.api.post(`/api/jobs/${again.key}/complete`, {})).body).toEqual({ ok: true, duplicate: false });
  });

  it('counts a timed-out worker\'s late completion once; the worker that took the job over gets duplicate:true', async () => {
    // given: worker A lets the deadline pass and worker B takes the job over
    const type = freshType();
    const id = await start(type);
    const [byA] = (await t.api.post('/api/jobs/activate', { type, workerId: 'A', maxJobs: 1, timeoutMs: 200 })).body.jobs;
    const byB = await eventually(async () => (await t.api.post('/api/jobs/activate', { type, workerId: 'B', maxJobs: 1 })).body.jobs[0]);
    expect(byB.key).toBe(byA.key);

    // when: both report (completions carry no worker identity: delivery is at least once)
    const late = await t.api.post(`/api/jobs/${byA.key}/complete`, { variables: { by: 'A' } });
    const second = await t.api.post(`/api/jobs/${byB.key}/complete`, { variables: { by: 'B' } });

    // then: the job completes exactly once
    expect(late.body).toEqual({ ok: true, duplicate: false });
    expect(second.body).toEqual({ ok: true, duplicate: true });
    expect((await instance(id)).variables.by).toBe('A');
    expect((await auditTypes(id)).filter((x) => x === 'JOB_COMPLETED')).toHaveLength(1);
  });

  it('holds a failed job with retries back for the backoff, then hands it out again', async () => {
    // given
    const type = freshType();
    const id = await start(type);
    const job = await activateOne(type);
    const backoffMs = 1500;

    // when
    const failedAt = Date.now();
    const res = await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 2, errorMessage: 'card network unreachable', retryBackoffMs: backoffMs });

    // then
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, duplicate: false });
    expect(await activate(type)).toEqual([]);
    const retried = await eventually(async () => (await activate(type, { maxJobs: 1 }))[0], 10_000);
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(backoffMs - 50);
    expect(retried).toMatchObject({ key: job.key, retries: 2 });
    const failed = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.find((e: any) => e.type === 'JOB_FAILED');
    expect(failed.payload).toMatchObject({ jobKey: job.key, retries: 2, errorMessage: 'card network unreachable', retryBackoffMs: backoffMs });
    expect(await t.api.get(`/api/incidents?processInstanceId=${id}`)).toMatchObject({ status: 200, body: { items: [] } });
  });

  it('opens an incident when a job fails with no retries left; resolving it hands the job out again', async () => {
    // given
    const type = freshType();
    const id = await start(type);
    const job = await activateOne(type);

    // when
    const res = await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage: 'card declined by issuer' });

    // then: an open incident, visible in the list and on the instance
    expect(res.status).toBe(200);
    const incidents = (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items;
    expect(incidents).toEqual([
      expect.objectContaining({
        processInstanceId: id,
        elementId: 'charge',
        jobKey: job.key,
        type: 'JOB_NO_RETRIES',
        state: 'OPEN',
        message: expect.stringContaining('card declined by issuer'),
        resolvedAt: null,
      }),
    ]);
    const detail = await instance(id);
    expect(detail.state).toBe('ACTIVE');
    expect(detail.incidents).toEqual([expect.objectContaining({ id: incidents[0].id, state: 'OPEN' })]);
    expect(detail.elements).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'charge', state: 'INCIDENT' })]));
    expect((await t.api.get(`/api/incidents?state=OPEN`)).body.items.map((i: any) => i.id)).toContain(incidents[0].id);
    expect(await activate(type)).toEqual([]);
    expect((await t.api.post(`/api/jobs/${job.key}/complete`, {})).status).toBe(409);

    // when: an operator resolves it
    const resolved = await t.api.post(`/api/incidents/${incidents[0].id}/resolve`);

    // then: the job is worked again and the instance completes
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: incidents[0].id, state: 'RESOLVED', resolvedAt: expect.any(String) });
    const retried = await activateOne(type);
    expect(retried).toMatchObject({ key: job.key, retries: 1 });
    expect((await t.api.post(`/api/jobs/${retried.key}/complete`, {})).body.duplicate).toBe(false);
    const ship = await activateOne(`${type}-ship`);
    await t.api.post(`/api/jobs/${ship.key}/complete`, {});
    expect((await instance(id)).state).toBe('COMPLETED');
    expect((await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items).toEqual([]);
    expect(await auditTypes(id)).toEqual(expect.arrayContaining(['JOB_FAILED', 'INCIDENT_OPENED', 'INCIDENT_RESOLVED', 'JOB_RETRIED', 'JOB_COMPLETED']));

    // and resolving it again is refused
    const twice = await t.api.post(`/api/incidents/${incidents[0].id}/resolve`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('INCIDENT_NOT_OPEN');
  });

  it('opens an UNHANDLED_BPMN_ERROR incident for a BPMN error nothing catches', async () => {
    // given
    const type = freshType();
    const id = await start(type);
    const job = await activateOne(type);

    // when
    const res = await t.api.post(`/api/jobs/${job.key}/bpmn-error`, { errorCode: 'CARD_EXPIRED', errorMessage: 'expired 03/24' });

    // then
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, duplicate: false });
    const [incident] = (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items;
    expect(incident).toMatchObject({ type: 'UNHANDLED_BPMN_ERROR', state: 'OPEN', elementId: 'charge', jobKey: job.key });
    expect(incident.message).toContain('CARD_EXPIRED');
    const thrown = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.find((e: any) => e.type === 'JOB_ERROR_THROWN');
    expect(thrown.payload).toMatchObject({ jobKey: job.key, errorCode: 'CARD_EXPIRED', errorMessage: 'expired 03/24' });
    expect((await instance(id)).state).toBe('ACTIVE');
  });

  it('refuses with 409 to complete or fail the job of a canceled instance', async () => {
    // given
    const type = freshType();
    const id = await start(type);
    const job = await activateOne(type);
    expect((await t.api.post(`/api/process-instances/${id}/cancel`)).status).toBe(200);

    // when
    const complete = await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { late: true } });
    const fail = await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 1, errorMessage: 'late' });

    // then
    for (const res of [complete, fail]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('JOB_NOT_ACTIVE');
    }
    expect(await auditTypes(id)).not.toContain('JOB_COMPLETED');
    expect((await instance(id)).variables).not.toHaveProperty('late');
  });

  it('answers 404 for an unknown job key', async () => {
    const unknown = randomUUID();
    for (const path of [`/api/jobs/${unknown}/complete`, `/api/jobs/${unknown}/fail`, `/api/jobs/${unknown}/bpmn-error`, '/api/jobs/not-a-key/complete']) {
      const res = await t.api.post(path, { retries: 0, errorMessage: 'x', errorCode: 'X' });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('JOB_NOT_FOUND');
    }
  });

  it('answers 400 for a malformed activation, completion or failure', async () => {
    const type = freshType();
    await start(type);
    const job = await activateOne(type);
    const noWorker = await t.api.post('/api/jobs/activate', { type: 'anything' });
    const badMax = await t.api.post('/api/jobs/activate', { type: 'anything', workerId: 'w', maxJobs: 0 });
    const arrayVariables = await t.api.post(`/api/jobs/${job.key}/complete`, { variables: [1] });
    const negativeRetries = await t.api.post(`/api/jobs/${job.key}/fail`, { retries: -1, errorMessage: 'x' });
    const noErrorCode = await t.api.post(`/api/jobs/${job.key}/bpmn-error`, {});
    for (const res of [noWorker, badMax, arrayVariables, negativeRetries, noErrorCode]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
    }
  });
});
