/**
 * Camunda's own TypeScript client (@camunda8/orchestration-cluster-api) as a
 * job worker against Weft's /v2/jobs: it completes and fails jobs of a
 * deployed diagram. The diagram is deployed and started through Weft's /api.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/integration/${name}`, import.meta.url), 'utf8');

describe("Camunda's TypeScript client as a job worker on /v2/jobs", () => {
  let t: TestWeft;

  /** The client with a Weft token: no auth strategy of its own, the Bearer header added to each request. */
  const client = () =>
    createCamundaClient({
      config: { CAMUNDA_REST_ADDRESS: `${t.weft.url}/v2`, CAMUNDA_AUTH_STRATEGY: 'NONE' } as any,
      fetch: (input, init) => {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        headers.set('authorization', `Bearer ${t.weft.adminToken}`);
        return fetch(input, { ...init, headers });
      },
    });

  beforeAll(async () => {
    t = await startTestWeft();
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: fixture('two-jobs.bpmn') }])).status).toBe(201);
  }, 60_000);
  afterAll(async () => t?.stop());

  it('completes both jobs of an instance with variables', async () => {
    const jobType = `cc-${randomUUID().slice(0, 8)}`;
    const camunda = client();
    const seen: string[] = [];
    const handler = (job: any) => {
      seen.push(job.jobKey);
      return job.complete({ [`done_${job.type.replace(/-/g, '_')}`]: true });
    };
    const workers = [camunda.createJobWorker({ jobType, jobTimeoutMs: 30_000, pollTimeoutMs: 5_000, jobHandler: handler }), camunda.createJobWorker({ jobType: `${jobType}-ship`, jobTimeoutMs: 30_000, pollTimeoutMs: 5_000, jobHandler: handler })];
    try {
      const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType } });
      const done = await eventually(async () => {
        const i = (await t.api.get(`/api/process-instances/${started.body.id}`)).body;
        return i.state === 'COMPLETED' ? i : undefined;
      }, 15_000);
      expect(seen).toHaveLength(2);
      expect(seen.every((k) => /^\d+$/.test(k))).toBe(true);
      expect(done.state).toBe('COMPLETED');
    } finally {
      for (const w of workers) w.stop?.();
    }
  }, 30_000);

  it('fails a job without retries: an incident on the instance', async () => {
    const jobType = `cf-${randomUUID().slice(0, 8)}`;
    const camunda = client();
    const worker = camunda.createJobWorker({ jobType, jobTimeoutMs: 30_000, pollTimeoutMs: 5_000, jobHandler: (job: any) => job.fail({ retries: 0, errorMessage: 'card declined' }) });
    try {
      const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType } });
      const incidents = await eventually(async () => {
        const i = (await t.api.get(`/api/process-instances/${started.body.id}`)).body;
        return i.incidents?.length ? i.incidents : undefined;
      }, 15_000);
      expect(incidents[0].message).toContain('card declined');
    } finally {
      worker.stop?.();
    }
  }, 30_000);

  it('throws a BPMN error no boundary catches: an incident naming the code', async () => {
    const jobType = `ce-${randomUUID().slice(0, 8)}`;
    const camunda = client();
    const worker = camunda.createJobWorker({ jobType, jobTimeoutMs: 30_000, pollTimeoutMs: 5_000, jobHandler: (job: any) => job.error({ errorCode: 'OUT_OF_STOCK', errorMessage: 'no stock' }) });
    try {
      const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType } });
      const incidents = await eventually(async () => {
        const i = (await t.api.get(`/api/process-instances/${started.body.id}`)).body;
        return i.incidents?.length ? i.incidents : undefined;
      }, 15_000);
      expect(JSON.stringify(incidents)).toContain('OUT_OF_STOCK');
    } finally {
      worker.stop?.();
    }
  }, 30_000);
});
