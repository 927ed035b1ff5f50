/**
 * Workers on another host while the engine is briefly unreachable (restarting,
 * or its Postgres down): the work must not be lost with the queue message.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { freePort } from '../support/private-postgres.js';
import { createWorker, type WeftWorker } from '../../engine/worker/create-worker.js';
import { httpJobClient } from '../../engine/worker/http-job-client.js';
import { queueForJobType } from '../../engine/queue/routing.js';

const threeTasks = readFileSync(new URL('../../bench/three-tasks.bpmn', import.meta.url), 'utf8');
const TYPES = ['bench-1', 'bench-2', 'bench-3'];

/** An HTTP front for the engine that can be switched on late, as an engine that is restarting comes back. */
function frontFor(target: string): (port: number) => Promise<Server> {
  return (port) =>
    new Promise((resolve) => {
      const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const answer = await fetch(target + req.url, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
}

async function completedCount(t: TestWeft): Promise<number> {
  const [{ count }] = await t.weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
  return Number(count);
}

describe('a worker whose engine is unreachable for a moment', () => {
  let t: TestWeft;
  let redis: Redis;
  let workers: WeftWorker[] = [];
  let front: Server | undefined;
  beforeAll(async () => {
    t = await startTestWeft();
    redis = new Redis(t.config.redisUrl, { maxRetriesPerRequest: null });
    await t.weft.engine.deploy([{ name: 'three-tasks.bpmn', content: threeTasks }], 'test');
  });
  afterEach(async () => {
    for (const w of workers) await w.close();
    workers = [];
    await new Promise((r) => (front ? front.close(r) : r(undefined)));
    front = undefined;
  });
  afterAll(async () => {
    await redis?.quit();
    await t?.stop();
  });

  it('waits for the engine to answer instead of dropping the job', async () => {
    // given remote workers whose engine address answers nothing yet
    const port = await freePort();
    const client = httpJobClient(`http://127.0.0.1:${port}`, t.config.adminToken!);
    for (const type of TYPES) workers.push(createWorker(type, () => ({ [type]: true }), { client, connection: redis, prefix: t.config.queuePrefix }));
    const before = await completedCount(t);

    // when an instance starts, and the engine is reachable again only after a while
    const { id } = await t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test');
    await new Promise((r) => setTimeout(r, 1500));
    front = await frontFor(t.weft.url!)(port);

    // then the instance completes, each job worked once
    await eventually(async () => (await completedCount(t)) === before + 1, 15_000);
    const audit = await t.weft.db('audit').where({ process_instance_id: id, type: 'JOB_COMPLETED' });
    expect(audit).toHaveLength(3);
  });

  it('gives a job whose message failed a new dispatch once it has waited long', async () => {
    // given a worker that gives up on the unreachable engine at once: its message fails in BullMQ
    const port = await freePort();
    const impatient = createWorker('bench-1', () => ({}), { client: httpJobClient(`http://127.0.0.1:${port}`, 'x'), connection: redis, prefix: t.config.queuePrefix, engineRetryMs: 0 });
    const { id } = await t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test');
    const [job] = await t.weft.db('jobs').where({ process_instance_id: id, element_id: 'task1' });
    const queue = t.weft.dispatcher.queue(queueForJobType('bench-1'));
    await eventually(async () => (await queue.getJobState(job.dispatch_id)) === 'failed');
    await impatient.close();

    // when working workers are there again, and the redriver checks the waiting jobs against BullMQ
    for (const type of TYPES) workers.push(t.weft.worker(type, () => ({ [type]: true })));
    const redriven = await t.weft.redriver.redriveMissing(0);

    // then the job went out again under a new dispatch id, and the instance completes
    expect(redriven).toBe(1);
    await eventually(async () => (await t.weft.db('process_instances').where({ id }).first('status')).status === 'COMPLETED', 15_000);
    const [after] = await t.weft.db('jobs').where({ key: job.key });
    expect(after.dispatch_id).not.toBe(job.dispatch_id);
  });
});
