/**
 * The worker SDK (`createWorker`, here through `t.weft.worker`) against the
 * real engine: what a handler receives, what its result does, and how thrown
 * errors become retries, incidents and BPMN errors.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { BpmnError } from '../../engine/worker/bpmn-error.js';
import type { JobContext } from '../../engine/worker/create-worker.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');

describe('the worker SDK', () => {
  let t: TestWeft;

  /** A job type, and so a queue, of this test's own. */
  const freshType = () => `api-${randomUUID().slice(0, 8)}`;

  async function start(jobType: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await t.api.post('/api/process-instances', { processId: 'flaky-service', variables: { jobType, ...variables } });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  const openIncident = (id: string) =>
    eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items[0]);
  const completed = (id: string) =>
    eventually(async () => {
      const detail = await instance(id);
      return detail.state === 'COMPLETED' && detail;
    });

  beforeAll(async () => {
    t = await startTestWeft();
    expect((await t.api.deploy([{ name: 'flaky-service.bpmn', xml: fixture('flaky-service.bpmn') }])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('gives the handler the variables and headers, and puts its result into the instance', async () => {
    // given
    const type = freshType();
    const seen: JobContext[] = [];
    t.weft.worker(type, (job) => {
      seen.push(job);
      return { chargeId: `ch-${job.variables.amount}`, status: 'paid' };
    }, { workerId: 'sdk-worker' });

    // when
    const id = await start(type, { amount: 1999, customer: { name: 'Ada' } });

    // then
    const done = await completed(id);
    expect(done.variables).toEqual({ jobType: type, amount: 1999, customer: { name: 'Ada' }, chargeId: 'ch-1999', status: 'paid' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      type,
      processInstanceId: id,
      elementId: 'call-api',
      retries: 2,
      headers: { endpoint: '/v1/charges', method: 'POST' },
      variables: { jobType: type, amount: 1999, customer: { name: 'Ada' } },
    });
    const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    expect(audit.find((e: any) => e.type === 'JOB_COMPLETED')).toMatchObject({ actor: 'worker:sdk-worker', payload: { variables: { chargeId: 'ch-1999', status: 'paid' } } });
  });

  it('completes with no new variables when the handler returns nothing', async () => {
    // given
    const type = freshType();
    t.weft.worker(type, () => undefined);

    // when
    const id = await start(type, { keep: 'me' });

    // then
    expect((await completed(id)).variables).toEqual({ jobType: type, keep: 'me' });
  });

  it('retries a throwing handler with backoff as often as the diagram allows, then opens an incident; resolving it runs the handler again', async () => {
    // given: retries="2" in the diagram; the handler fails until told otherwise
    const type = freshType();
    const backoffMs = 300;
    const attempts: { at: number; retries: number }[] = [];
    let healthy = false;
    t.weft.worker(type, (job) => {
      attempts.push({ at: Date.now(), retries: job.retries });
      if (!healthy) throw new Error('payment API answered 503');
      return { charged: true };
    }, { retryBackoffMs: backoffMs });

    // when
    const id = await start(type);

    // then: two attempts, the second after the backoff, then an incident
    const incident = await openIncident(id);
    expect(incident).toMatchObject({ type: 'JOB_NO_RETRIES', elementId: 'call-api', state: 'OPEN', message: expect.stringContaining('payment API answered 503') });
    expect(attempts.map((a) => a.retries)).toEqual([2, 1]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(backoffMs - 20);
    const failures = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.filter((e: any) => e.type === 'JOB_FAILED');
    expect(failures.map((e: any) => e.payload.retries)).toEqual([1, 0]);
    expect(failures[0].payload).toMatchObject({ retryBackoffMs: backoffMs, errorMessage: 'payment API answered 503' });
    expect((await instance(id)).state).toBe('ACTIVE');

    // when: the cause is fixed and the incident resolved
    healthy = true;
    expect((await t.api.post(`/api/incidents/${incident.id}/resolve`)).status).toBe(200);

    // then: the handler runs once more and the instance completes
    const done = await completed(id);
    expect(done.variables.charged).toBe(true);
    expect(attempts).toHaveLength(3);
    expect(attempts[2].retries).toBe(1);
  });

  it('opens an incident again when the handler still fails after the incident is resolved', async () => {
    // given
    const type = freshType();
    let calls = 0;
    t.weft.worker(type, () => {
      calls++;
      throw new Error('still down');
    }, { retryBackoffMs: 50 });
    const id = await start(type);
    const first = await openIncident(id);

    // when
    await t.api.post(`/api/incidents/${first.id}/resolve`);

    // then: one more attempt (the resolve grants one retry), then a new incident
    const second = await eventually(async () => {
      const items = (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items as any[];
      return items.find((i) => i.state === 'OPEN' && i.id !== first.id);
    });
    expect(second).toMatchObject({ type: 'JOB_NO_RETRIES', message: expect.stringContaining('still down') });
    expect(calls).toBe(3);
  });

  it('turns a thrown BpmnError into an UNHANDLED_BPMN_ERROR incident, without retrying', async () => {
    // given
    const type = freshType();
    let calls = 0;
    t.weft.worker(type, () => {
      calls++;
      throw new BpmnError('INSUFFICIENT_FUNDS', 'balance too low');
    });

    // when
    const id = await start(type);

    // then
    const incident = await openIncident(id);
    expect(incident).toMatchObject({ type: 'UNHANDLED_BPMN_ERROR', elementId: 'call-api', state: 'OPEN' });
    expect(incident.message).toContain('INSUFFICIENT_FUNDS');
    expect(calls).toBe(1);
    const thrown = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.find((e: any) => e.type === 'JOB_ERROR_THROWN');
    expect(thrown.payload).toMatchObject({ errorCode: 'INSUFFICIENT_FUNDS', errorMessage: 'balance too low' });
    expect((await t.api.get(`/api/process-instances/${id}/audit`)).body.items.map((e: any) => e.type)).not.toContain('JOB_FAILED');
  });

  it('fails the job with the reason when the engine refuses a handler result, ending in an incident rather than a loop', async () => {
    // given a handler whose result Postgres could not store
    const type = freshType();
    let attempts = 0;
    t.weft.worker(type, () => {
      attempts++;
      return { note: 'bad\u0000byte' };
    }, { retryBackoffMs: 10 });

    // when
    const id = await start(type);

    // then the retries run out and an incident names the refused result
    const incident = await openIncident(id);
    expect(incident.message).toMatch(/result was refused.*NUL/);
    expect(attempts).toBe(2);
  });
});
