/**
 * The engine through PgBouncer in transaction mode: every transaction may run
 * on a different server connection, and five server connections serve all of
 * the engine's clients. The core runs through it — deploy (and the
 * migrations), starts, workers completing jobs concurrently, a user task, a
 * timer, a message correlation, a burst of concurrent and duplicate
 * completions — and everything completes exactly once with no error logged.
 *
 * Skipped, saying why, where the Debian package `pgbouncer` is not installed.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgbouncerInstalled, startPrivatePgBouncer, type PrivatePgBouncer } from '../support/private-pgbouncer.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
const ORDERS = 12;
const BURST = 20;

describe.skipIf(!pgbouncerInstalled())('Weft through PgBouncer (transaction mode)', () => {
  let bouncer: PrivatePgBouncer;
  let t: TestWeft;
  const logged: any[] = [];

  beforeAll(async () => {
    bouncer = await startPrivatePgBouncer({ poolSize: 5 });
    const sink = new Writable({ write(chunk, _enc, done) { logged.push(JSON.parse(String(chunk))); done(); } });
    // The engine's pool (10) is larger than PgBouncer's (5): clients must share server connections.
    t = await startTestWeft({ logger: pino({ level: 'warn' }, sink), poolMax: 10 }, { databaseUrl: (direct) => bouncer.pooled(direct) });
  });
  afterAll(async () => {
    await t?.stop();
    await bouncer?.stop();
  });

  it('migrated through the pooler, and the engine talks to Postgres only through it', async () => {
    expect(new URL(t.config.databaseUrl).port).toBe(String(bouncer.port));
    const [{ n }] = await t.weft.db('knex_migrations').count({ n: '*' });
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('runs jobs, a user task, a timer and a message correlation for concurrent instances', async () => {
    // given the process deployed, and a worker that completes its jobs ten at a time
    expect((await t.api.deploy([{ name: 'core-path.bpmn', xml: fixture('integration/pgbouncer/core-path.bpmn') }])).status).toBe(201);
    t.weft.worker('pooled-charge', async (job) => ({ charged: job.variables.orderId }), { concurrency: 10 });

    // when orders start together
    const ids = await Promise.all(Array.from({ length: ORDERS }, async (_, i) => {
      const res = await t.api.post('/api/process-instances', { processId: 'pooled-order', variables: { orderId: `o-${i}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    }));

    // then each job is completed by the worker and each order waits in its user task
    const tasks = await eventually(async () => {
      const items = (await t.api.get('/api/tasks?state=CREATED&limit=100')).body.items as any[];
      return items.length === ORDERS ? items : null;
    }, 20_000);

    // when the tasks are completed together, then the timers fire and the orders wait for their messages
    const completed = await Promise.all(tasks.map((task) => t.api.post(`/api/tasks/${task.id}/complete`, { variables: { approved: true } })));
    expect(completed.map((r) => r.status)).toEqual(tasks.map(() => 200));
    await eventually(async () => {
      const [{ n }] = await t.weft.db('message_subscriptions').count({ n: '*' });
      return Number(n) === ORDERS;
    }, 20_000);
    const published = await Promise.all(ids.map((_, i) => t.api.post('/api/messages', { name: 'order-paid', correlationKey: `o-${i}`, variables: { paid: true } })));
    expect(published.map((r) => r.status)).toEqual(ids.map(() => 200));

    // then every order completes with what each step wrote
    await eventually(async () => {
      const done = await t.weft.db('process_instances').whereIn('id', ids).where({ status: 'COMPLETED' }).count({ n: '*' });
      return Number(done[0].n) === ORDERS;
    }, 20_000);
    for (const [i, id] of ids.entries()) {
      const detail = (await t.api.get(`/api/process-instances/${id}`)).body;
      expect(detail.variables).toMatchObject({ orderId: `o-${i}`, charged: `o-${i}`, approved: true, paid: true });
    }
  });

  it('gives a burst of concurrent and duplicate completions exactly once, on shared server connections', async () => {
    // given instances with two branch jobs each, activated
    await t.weft.engine.deploy([{ name: 'parallel-two-jobs.bpmn', content: fixture('engine/parallel-two-jobs.bpmn') }], 'test');
    const started = await Promise.all(Array.from({ length: BURST }, () => t.weft.engine.startInstance({ processId: 'parallel-two-jobs' }, 'test')));
    const jobs = [
      ...(await t.weft.engine.activateJobs({ type: 'branch-a', maxJobs: 100, workerId: 'w', timeoutMs: 60_000 })),
      ...(await t.weft.engine.activateJobs({ type: 'branch-b', maxJobs: 100, workerId: 'w', timeoutMs: 60_000 })),
    ];
    expect(jobs).toHaveLength(2 * BURST);

    // when every job is completed twice at once, while PgBouncer's pools are watched
    let most = { clients: 0, servers: 0 };
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const pools = await bouncer.admin('SHOW POOLS');
        const pool = pools.find((p) => p.database === new URL(t.database.url).pathname.slice(1));
        if (pool) most = { clients: Math.max(most.clients, pool.cl_active + pool.cl_waiting), servers: Math.max(most.servers, pool.sv_active + pool.sv_idle + pool.sv_used) };
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const answers = await Promise.all(jobs.flatMap((job) => [0, 1].map(() => t.weft.engine.completeJob(job.key, { [job.type]: true }, 'test'))));
    watching = false;
    await watch;

    // then each completion counted once, each instance joined once
    expect(answers.filter((r) => !r.duplicate)).toHaveLength(2 * BURST);
    expect(answers.filter((r) => r.duplicate)).toHaveLength(2 * BURST);
    const ids = started.map((s) => s.id);
    await eventually(async () => {
      const done = await t.weft.db('process_instances').whereIn('id', ids).where({ status: 'COMPLETED' }).count({ n: '*' });
      return Number(done[0].n) === BURST;
    });
    const joins = await t.weft.db('audit').whereIn('process_instance_id', ids).where({ type: 'ELEMENT_COMPLETED', element_id: 'join' }).count({ n: '*' });
    expect(Number(joins[0].n)).toBe(BURST);
    // and the engine's clients (up to its pool of 10) shared PgBouncer's five server connections
    expect(most.servers).toBeLessThanOrEqual(5);
    expect(most.clients).toBeGreaterThan(most.servers);
  });

  it('logged no error or warning, and PgBouncer refused nothing', () => {
    expect(logged.filter((l) => l.level >= 40)).toEqual([]);
    expect(bouncer.log()).not.toMatch(/ERROR|WARNING|prepared statement/i);
  });
});
