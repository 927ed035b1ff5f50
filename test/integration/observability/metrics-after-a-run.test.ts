/**
 * GET /metrics after a run of a known process: the figures are exactly what
 * happened — instances started, completed and canceled; elements activated;
 * jobs created, completed and failed; dispatch latencies observed; the open
 * incident; the BullMQ queue depths; the outbox drained — and a step that
 * was rolled back counts nothing. Who may scrape: admin and operator.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { parseMetrics, sample, type Samples } from './prometheus-text.js';

const twoJobs = readFileSync(new URL('../../fixtures/integration/two-jobs.bpmn', import.meta.url), 'utf8');

describe('GET /metrics after a run', () => {
  let t: TestWeft;
  const type = `m-charge-${randomUUID().slice(0, 8)}`;
  const refusedType = `m-refused-${randomUUID().slice(0, 8)}`;
  const tokens: Record<string, string> = {};

  const scrape = async (authorization?: string) => fetch(`${t.weft.url}/metrics`, { headers: authorization ? { authorization } : {} });
  const metrics = async (): Promise<Samples> => {
    const res = await scrape(`Bearer ${t.config.adminToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return parseMetrics(await res.text());
  };
  const start = async (jobType: string) => t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType } });
  const activateOne = async (jobType: string) => {
    const res = await t.api.post('/api/jobs/activate', { type: jobType, workerId: 'metrics-test', maxJobs: 1, timeoutMs: 60_000 });
    expect(res.body.jobs).toHaveLength(1);
    return res.body.jobs[0];
  };

  beforeAll(async () => {
    t = await startTestWeft();
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: twoJobs }])).status).toBe(201);
    // A job of this type cannot be written: a start that creates one is rolled back as a whole.
    await t.database.knex.raw(`
      CREATE FUNCTION refuse_job() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END; $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_job BEFORE INSERT ON jobs FOR EACH ROW WHEN (NEW.type = '${refusedType}') EXECUTE FUNCTION refuse_job();`);
    for (const role of ['operator', 'modeler', 'user'] as const) {
      await addUser(t.api, `metrics-${role}`, role);
      tokens[role] = (await t.api.post('/api/tokens', { user: `metrics-${role}`, name: 'prometheus' })).body.token;
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('counts exactly the run: three instances, one completed, one failed into an incident, one canceled, one rolled back', async () => {
    // given: an instance that runs through both service tasks to its end
    const done = (await start(type)).body.id;
    await t.api.post(`/api/jobs/${(await activateOne(type)).key}/complete`, { variables: {} });
    await t.api.post(`/api/jobs/${(await activateOne(`${type}-ship`)).key}/complete`, { variables: {} });
    // and one whose first job fails with no retries left (an incident)
    const failed = (await start(type)).body.id;
    const failedJob = (await activateOne(type)).key;
    expect((await t.api.post(`/api/jobs/${failedJob}/fail`, { retries: 0, errorMessage: 'card declined' })).status).toBe(200);
    // and one canceled while its first job waits
    const canceled = (await start(type)).body.id;
    expect((await t.api.post(`/api/process-instances/${canceled}/cancel`)).status).toBe(200);
    // and a start whose write Postgres refuses (rolled back)
    expect((await start(refusedType)).status).toBeGreaterThanOrEqual(500);
    // and a refused command (the failed job is no longer active): nothing written
    expect((await t.api.post(`/api/jobs/${failedJob}/fail`, { retries: 0, errorMessage: 'again' })).status).toBe(409);
    expect((await t.api.get(`/api/process-instances/${done}`)).body.state).toBe('COMPLETED');
    expect((await t.api.get(`/api/process-instances/${failed}`)).body.state).toBe('ACTIVE');
    await t.weft.relay.flush();

    // when
    const m = await metrics();

    // then: instances
    expect(sample(m, 'weft_process_instances_started_total', { process_id: 'two-jobs' })).toBe(3);
    expect(sample(m, 'weft_process_instances_completed_total', { process_id: 'two-jobs' })).toBe(1);
    expect(sample(m, 'weft_process_instances_canceled_total', { process_id: 'two-jobs' })).toBe(1);
    // elements: each instance's process and start event; charge three times, ship once, the end once
    expect(sample(m, 'weft_element_activations_total', { element_type: 'process' })).toBe(3);
    expect(sample(m, 'weft_element_activations_total', { element_type: 'startEvent' })).toBe(3);
    expect(sample(m, 'weft_element_activations_total', { element_type: 'serviceTask' })).toBe(4);
    expect(sample(m, 'weft_element_activations_total', { element_type: 'endEvent' })).toBe(1);
    // jobs, by type
    expect(sample(m, 'weft_jobs_created_total', { job_type: type })).toBe(3);
    expect(sample(m, 'weft_jobs_created_total', { job_type: `${type}-ship` })).toBe(1);
    expect(sample(m, 'weft_jobs_completed_total', { job_type: type })).toBe(1);
    expect(sample(m, 'weft_jobs_completed_total', { job_type: `${type}-ship` })).toBe(1);
    expect(sample(m, 'weft_jobs_failed_total', { job_type: type })).toBe(1);
    expect(sample(m, 'weft_jobs_failed_total', { job_type: `${type}-ship` })).toBeUndefined();
    // nothing of the rolled-back start
    expect(sample(m, 'weft_jobs_created_total', { job_type: refusedType })).toBeUndefined();
    // dispatch latency: the three activations, each timed
    expect(sample(m, 'weft_job_dispatch_latency_seconds_count', { job_type: type })).toBe(2);
    expect(sample(m, 'weft_job_dispatch_latency_seconds_count', { job_type: `${type}-ship` })).toBe(1);
    expect(sample(m, 'weft_job_dispatch_latency_seconds_sum', { job_type: type })).toBeGreaterThan(0);
    expect(sample(m, 'weft_job_dispatch_latency_seconds_bucket', { job_type: type, le: '+Inf' })).toBe(2);
    // shared state, read at the scrape: the one incident, the drained outbox, the BullMQ messages no BullMQ worker took
    expect(sample(m, 'weft_incidents_open', {})).toBe(1);
    expect(sample(m, 'weft_outbox_backlog', {})).toBe(0);
    expect(sample(m, 'weft_queue_jobs', { queue: `job.${type}`, state: 'waiting' })).toBe(3);
    expect(sample(m, 'weft_queue_jobs', { queue: `job.${type}-ship`, state: 'waiting' })).toBe(1);
    expect(sample(m, 'weft_queue_jobs', { queue: `job.${type}`, state: 'active' })).toBe(0);
    // and prom-client's process metrics, prefixed too
    expect(sample(m, 'weft_process_cpu_user_seconds_total', {})).toBeGreaterThan(0);
    expect([...m.keys()].every((name) => name.startsWith('weft_'))).toBe(true);
  });

  it('counts a resolved incident out of the open ones at the next scrape', async () => {
    // given
    const before = sample(await metrics(), 'weft_incidents_open', {});
    const incident = (await t.api.get('/api/incidents')).body.items.find((i: any) => i.state === 'OPEN');
    // when
    expect((await t.api.post(`/api/incidents/${incident.id}/resolve`)).status).toBe(200);
    // then
    expect(sample(await metrics(), 'weft_incidents_open', {})).toBe(before! - 1);
  });

  it('answers 401 without credentials, 403 to modelers and users, and the figures to operators', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('Bearer not-a-token')).status).toBe(401);
    for (const role of ['modeler', 'user']) {
      const res = await scrape(`Bearer ${tokens[role]}`);
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toMatch(/admin or operator role/);
    }
    const operator = await scrape(`Bearer ${tokens.operator}`);
    expect(operator.status).toBe(200);
    expect(await operator.text()).toContain('weft_process_instances_started_total');
  });
});
