/**
 * Camunda's TypeScript client changes a job's retries on Weft
 * (PATCH /v2/jobs/{jobKey} with changeset.retries): an open job keeps its
 * state with the new count, the change is on the instance's audit record,
 * and a job held by an incident stays held until the incident is resolved,
 * then is handed out with the retries set.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { bearerClient, statusOf } from '../../support/camunda-clients.js';

const NOW = { consistency: { waitUpToMs: 0 } };

describe("a job's retries changed through the Camunda client", () => {
  let t: TestWeft;
  let camunda: CamundaClient;
  let asUser: CamundaClient;
  beforeAll(async () => {
    t = await startTestWeft();
    camunda = bearerClient(t.weft.url!, t.weft.adminToken);
    await addUser(t.api, 'uma', 'user');
    asUser = bearerClient(t.weft.url!, (await t.api.post('/api/tokens', { user: 'uma', name: 'v2' })).body.token);
    expect((await t.api.deploy([{ name: 'retries-job.bpmn', xml: readFileSync(new URL('./retries-job.bpmn', import.meta.url), 'utf8') }])).status).toBe(201);
  }, 60_000);
  afterAll(async () => t?.stop());

  /** A new instance waiting in its job of a type of its own. */
  async function started() {
    const jobType = `rt-${randomUUID().slice(0, 8)}`;
    const instance = await t.api.post('/api/process-instances', { processId: 'v2-retries-job', variables: { jobType } });
    const { items } = await camunda.searchJobs({ filter: { type: jobType } } as never, NOW);
    return { jobType, id: instance.body.id as string, jobKey: items[0].jobKey as string };
  }
  const activate = async (type: string) => (await camunda.activateJobs({ type, maxJobsToActivate: 1, timeout: 30_000, worker: 'w', requestTimeout: -1 } as never)).jobs;
  const audited = async (id: string) => (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.filter((e: { type: string }) => e.type === 'JOB_RETRIES_UPDATED');

  it('sets the retries of a job waiting for a worker, and of one a worker holds; each change is audited', async () => {
    // given
    const { jobType, id, jobKey } = await started();
    // when
    await camunda.updateJob({ jobKey, changeset: { retries: 5 } } as never);
    const [job] = await activate(jobType);
    await camunda.updateJob({ jobKey, changeset: { retries: 7, timeout: 60_000 } } as never);
    // then
    expect(job.retries).toBe(5);
    const [found] = (await camunda.searchJobs({ filter: { jobKey } } as never, NOW)).items;
    expect(found).toMatchObject({ retries: 7, state: 'CREATED', worker: 'w' });
    expect((await audited(id)).map((e: { actor: string; payload: unknown }) => ({ actor: e.actor, payload: e.payload }))).toEqual([
      { actor: 'admin', payload: expect.objectContaining({ jobKey: expect.any(String), oldRetries: 3, retries: 5 }) },
      { actor: 'admin', payload: expect.objectContaining({ oldRetries: 5, retries: 7 }) },
    ]);
  });

  it('leaves the incident of a job out of retries open; resolving it hands the job out with the retries set', async () => {
    // given
    const { jobType, id, jobKey } = await started();
    await activate(jobType);
    await camunda.failJob({ jobKey, retries: 0, errorMessage: 'card declined' } as never);
    // when
    await camunda.updateJob({ jobKey, changeset: { retries: 3 } } as never);
    const whileOpen = await activate(jobType);
    const [incident] = (await camunda.searchIncidents({ filter: { jobKey, state: 'ACTIVE' } } as never, NOW)).items;
    await camunda.resolveIncident({ incidentKey: incident.incidentKey } as never);
    const [again] = await activate(jobType);
    // then
    expect(whileOpen).toEqual([]);
    expect(again).toMatchObject({ jobKey, retries: 3 });
    expect((await audited(id))[0].payload).toMatchObject({ oldRetries: 0, retries: 3, state: 'FAILED' });
    await camunda.completeJob({ jobKey } as never);
    expect((await t.api.get(`/api/process-instances/${id}`)).body.state).toBe('COMPLETED');
  });

  it('answers 404 for a completed job and for no such job, 400 naming the field for fewer than 1 retry, 403 for a plain user; nothing changes', async () => {
    // given
    const done = await started();
    await activate(done.jobType);
    await camunda.completeJob({ jobKey: done.jobKey } as never);
    const open = await started();
    // when
    const statuses = [
      await statusOf(camunda.updateJob({ jobKey: done.jobKey, changeset: { retries: 2 } } as never)),
      await statusOf(camunda.updateJob({ jobKey: '2251799813999999', changeset: { retries: 2 } } as never)),
      await statusOf(asUser.updateJob({ jobKey: open.jobKey, changeset: { retries: 2 } } as never)),
    ];
    const zero = await fetch(`${t.weft.url}/v2/jobs/${open.jobKey}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ changeset: { retries: 0 } }),
    });
    // then
    expect(statuses).toEqual([404, 404, 403]);
    expect(zero.status).toBe(400);
    expect((await zero.json()).detail).toContain('changeset.retries');
    const [unchanged] = (await camunda.searchJobs({ filter: { jobKey: open.jobKey } } as never, NOW)).items;
    expect(unchanged.retries).toBe(3);
    expect(await audited(open.id)).toEqual([]);
  });

  it("sets the retries through Weft's own API too (POST /api/jobs/:key/retries, for operators), on the same record", async () => {
    // given
    const { id, jobKey } = await started();
    const weftKey = (await t.weft.db('jobs').where({ process_instance_id: id }).first('key')).key;
    // when
    const set = await t.api.post(`/api/jobs/${weftKey}/retries`, { retries: 4 });
    const refused = await t.api.post(`/api/jobs/${weftKey}/retries`, { retries: 0 });
    // then
    expect(set.status).toBe(200);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('retries');
    const [found] = (await camunda.searchJobs({ filter: { jobKey } } as never, NOW)).items;
    expect(found.retries).toBe(4);
    expect((await audited(id)).map((e: { payload: unknown }) => e.payload)).toEqual([expect.objectContaining({ oldRetries: 3, retries: 4 })]);
  });
});
