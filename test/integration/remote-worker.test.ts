/**
 * A worker on another host: BullMQ for delivery, the REST job API for the
 * truth, no database credentials.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { createWorker, type WeftWorker } from '../../engine/worker/create-worker.js';
import { httpJobClient } from '../../engine/worker/http-job-client.js';

const threeTasks = readFileSync(new URL('../../bench/three-tasks.bpmn', import.meta.url), 'utf8');

describe('a worker that reaches the engine over HTTP', () => {
  let t: TestWeft;
  let redis: Redis;
  const workers: WeftWorker[] = [];
  beforeAll(async () => {
    t = await startTestWeft();
    redis = new Redis(t.config.redisUrl, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await redis?.quit();
    await t?.stop();
  });

  it('activates, completes and fails jobs through the REST API', async () => {
    // given three remote workers, the second failing once
    const client = httpJobClient(t.weft.url!, t.config.adminToken!);
    let failures = 0;
    for (const type of ['bench-1', 'bench-2', 'bench-3']) {
      workers.push(
        createWorker(type, (job) => {
          if (type === 'bench-2' && failures++ === 0) throw new Error('flaky downstream');
          return { [type]: job.retries };
        }, { client, connection: redis, prefix: t.config.queuePrefix, workerId: 'remote', retryBackoffMs: 10 }),
      );
    }
    expect((await t.api.deploy([{ name: 'three-tasks.bpmn', xml: threeTasks }])).status).toBe(201);

    // when
    const { body } = await t.api.post('/api/process-instances', { processId: 'bench-three-tasks' });

    // then
    const done = await eventually(async () => {
      const r = await t.api.get(`/api/process-instances/${body.id}`);
      return r.body.state === 'COMPLETED' && r.body;
    });
    expect(done.variables).toEqual({ 'bench-1': 3, 'bench-2': 2, 'bench-3': 3 });
    const audit = (await t.api.get(`/api/process-instances/${body.id}/audit`)).body.items;
    expect(audit.filter((e: any) => e.type === 'JOB_FAILED')).toHaveLength(1);
    expect(audit.find((e: any) => e.type === 'JOB_COMPLETED').actor).toBe('admin');
  });

  it('answers null when the job is not there to be worked', async () => {
    const res = await t.api.post('/api/jobs/00000000-0000-4000-8000-000000000000/activate', { workerId: 'remote' });
    expect(res).toEqual({ status: 200, body: { job: null } });
  });
});
