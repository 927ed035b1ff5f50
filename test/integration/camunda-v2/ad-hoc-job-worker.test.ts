/**
 * Camunda's AI-agent pattern on Weft: a job worker of Camunda's TypeScript
 * client works the job of an ad-hoc sub-process and completes it with a
 * result (`type: 'adHocSubProcess'`) naming the inner elements to activate;
 * Weft runs them with their variables as local variables, creates the
 * sub-process's job again when they have ended, and completes the
 * sub-process when the worker says its completion condition is fulfilled.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { bearerClient } from '../../support/camunda-clients.js';

const NOW = { consistency: { waitUpToMs: 0 } };

describe('an ad-hoc sub-process worked by a Camunda job worker', () => {
  let t: TestWeft;
  let camunda: CamundaClient;
  beforeAll(async () => {
    t = await startTestWeft();
    camunda = bearerClient(t.weft.url!, t.weft.adminToken);
    const xml = readFileSync(new URL('./ad-hoc-job-worker.bpmn', import.meta.url), 'utf8');
    expect((await t.api.deploy([{ name: 'ad-hoc-job-worker.bpmn', xml }])).status).toBe(201);
  }, 60_000);
  afterAll(async () => t?.stop());

  async function started() {
    const jobType = `ah-${randomUUID().slice(0, 8)}`;
    const { body } = await t.api.post('/api/process-instances', { processId: 'v2-ad-hoc-job-worker', variables: { jobType } });
    return { jobType, id: body.id as string };
  }
  const activate = async (type: string) => (await camunda.activateJobs({ type, maxJobsToActivate: 1, timeout: 30_000, worker: 'w', requestTimeout: -1 } as never)).jobs;
  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  const completion = (jobKey: string, body: unknown) =>
    fetch(`${t.weft.url}/v2/jobs/${jobKey}/completion`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('activates the elements the worker names, asks it again when they have ended, and completes when it says so', async () => {
    // given
    const { jobType, id } = await started();
    const turns: { turn: number; hits: unknown; noted: unknown }[] = [];
    const lookups: unknown[] = [];
    const workers = [
      camunda.createJobWorker({
        jobType,
        jobTimeoutMs: 30_000,
        pollTimeoutMs: 2_000,
        jobHandler: (job: any) => {
          const turn = job.variables.weftAdHoc.turn;
          turns.push({ turn, hits: job.variables.hits, noted: job.variables.noted });
          if (turn === 0) {
            return job.complete({ plan: 'look it up' }, {
              type: 'adHocSubProcess',
              activateElements: [{ elementId: 'lookup', variables: { q: 'vpn' } }, { elementId: 'note', variables: { topic: 'vpn' } }],
              isCompletionConditionFulfilled: false,
              isCancelRemainingInstances: false,
            });
          }
          return job.complete({ answer: `found ${job.variables.hits.join(', ')}` }, { type: 'adHocSubProcess', activateElements: [], isCompletionConditionFulfilled: true, isCancelRemainingInstances: false });
        },
      }),
      camunda.createJobWorker({
        jobType: `${jobType}-lookup`,
        jobTimeoutMs: 30_000,
        pollTimeoutMs: 2_000,
        jobHandler: (job: any) => {
          lookups.push(job.variables.q);
          return job.complete({ hits: ['KB-1', 'KB-7'] });
        },
      }),
    ];
    try {
      // when
      const done = await eventually(async () => {
        const i = await instance(id);
        return i.state === 'COMPLETED' ? i : undefined;
      }, 20_000);
      // then
      expect(lookups).toEqual(['vpn']);
      expect(turns).toEqual([
        { turn: 0, hits: undefined, noted: undefined },
        { turn: 1, hits: ['KB-1', 'KB-7'], noted: 'noted vpn' },
      ]);
      expect(done.variables).toMatchObject({ answer: 'found KB-1, KB-7' });
    } finally {
      for (const w of workers) w.stop?.();
    }
  }, 30_000);

  it('refuses an element that is not an activity of the sub-process with a 400 naming it; the job can still be completed', async () => {
    // given
    const { jobType, id } = await started();
    const [job] = await activate(jobType);
    // when
    const refused = await completion(job.jobKey, { result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'lookup' }, { elementId: 'end' }] } });
    const problem = await refused.json();
    const [still] = (await camunda.searchJobs({ filter: { jobKey: job.jobKey } } as never, NOW)).items;
    // then
    expect(refused.status).toBe(400);
    expect(problem.detail).toContain("result.activateElements[1].elementId: 'end'");
    expect(problem.detail).not.toContain('[0]');
    expect(still.state).toBe('CREATED');
    expect((await instance(id)).incidents ?? []).toEqual([]);
    // when
    await camunda.completeJob({ jobKey: job.jobKey, result: { type: 'adHocSubProcess', isCompletionConditionFulfilled: true } } as never);
    // then
    expect((await instance(id)).state).toBe('COMPLETED');
  });

  it('completes at once when the condition is fulfilled and the remaining instances are canceled', async () => {
    // given
    const { jobType, id } = await started();
    const [job] = await activate(jobType);
    // when
    await camunda.completeJob({
      jobKey: job.jobKey,
      result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'lookup' }], isCompletionConditionFulfilled: true, isCancelRemainingInstances: true },
    } as never);
    // then
    expect((await instance(id)).state).toBe('COMPLETED');
    const lookups = (await camunda.searchJobs({ filter: { type: `${jobType}-lookup` } } as never, NOW)).items;
    expect(lookups.map((j: { state: string }) => j.state)).toEqual(['CANCELED']);
  });

  it('refuses an ad-hoc result on the job of a plain service task (400), and nothing changes', async () => {
    // given
    const { jobType } = await started();
    const [job] = await activate(jobType);
    await camunda.completeJob({ jobKey: job.jobKey, result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'lookup' }] } } as never);
    const [lookup] = await activate(`${jobType}-lookup`);
    // when
    const refused = await completion(lookup.jobKey, { result: { type: 'adHocSubProcess', activateElements: [] } });
    // then
    expect(refused.status).toBe(400);
    expect((await refused.json()).detail).toContain('result: job');
    const [still] = (await camunda.searchJobs({ filter: { jobKey: lookup.jobKey } } as never, NOW)).items;
    expect(still.state).toBe('CREATED');
  });
});
