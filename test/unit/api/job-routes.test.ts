import { afterEach, describe, expect, it } from 'vitest';
import { WeftError } from '../../../engine/errors.js';
import { IDS, job } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/jobs', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('activates jobs with defaults for maxJobs and timeoutMs', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api('/api/jobs/activate', { method: 'POST', json: { type: 'charge-card', workerId: 'w1' } });
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jobs: [job] });
    expect(h.engine.lastCall('activateJobs')).toEqual([{ type: 'charge-card', workerId: 'w1', maxJobs: 10, timeoutMs: 300000 }]);
  });

  it('answers 400 with details for a bad maxJobs', async () => {
    h = await startApp();
    for (const maxJobs of [0, 1001, 2.5, '10']) {
      const res = await h.api('/api/jobs/activate', { method: 'POST', json: { type: 't', workerId: 'w', maxJobs } });
      expect(res.status).toBe(400);
      expect((await res.json()).error.details.map((d: { path: string }) => d.path)).toEqual(['maxJobs']);
    }
  });

  it('completes a job with variables', async () => {
    h = await startApp();
    const res = await h.api(`/api/jobs/${IDS.job}/complete`, { method: 'POST', json: { variables: { paid: true } } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: false });
    expect(h.engine.lastCall('completeJob')).toEqual([IDS.job, { paid: true }, 'admin']);
  });

  it('completes a job with no body at all', async () => {
    h = await startApp();
    const res = await h.api(`/api/jobs/${IDS.job}/complete`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(h.engine.lastCall('completeJob')).toEqual([IDS.job, {}, 'admin']);
  });

  it('fails a job', async () => {
    h = await startApp();
    const body = { retries: 2, errorMessage: 'timeout', retryBackoffMs: 1000 };
    const res = await h.api(`/api/jobs/${IDS.job}/fail`, { method: 'POST', json: body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: false });
    expect(h.engine.lastCall('failJob')).toEqual([IDS.job, body, 'admin']);
  });

  it('refuses negative retries', async () => {
    h = await startApp();
    const res = await h.api(`/api/jobs/${IDS.job}/fail`, { method: 'POST', json: { retries: -1, errorMessage: 'x' } });
    expect(res.status).toBe(400);
  });

  it('throws a BPMN error from a job', async () => {
    h = await startApp();
    const body = { errorCode: 'CARD_DECLINED', errorMessage: 'declined', variables: { reason: 'funds' } };
    const res = await h.api(`/api/jobs/${IDS.job}/bpmn-error`, { method: 'POST', json: body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: false });
    expect(h.engine.lastCall('throwJobError')).toEqual([IDS.job, body, 'admin']);
  });

  it('maps JOB_NOT_ACTIVE from the engine to 409', async () => {
    h = await startApp();
    h.engine.throwOn('completeJob', new WeftError('JOB_NOT_ACTIVE', 'job was canceled'));
    const res = await h.api(`/api/jobs/${IDS.job}/complete`, { method: 'POST', json: {} });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'JOB_NOT_ACTIVE', message: 'job was canceled' } });
  });

  it('answers 404 for a malformed job key', async () => {
    h = await startApp();
    const res = await h.api('/api/jobs/42/complete', { method: 'POST', json: {} });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('JOB_NOT_FOUND');
  });
});
