/**
 * Postgres goes away under a running engine and comes back: while it is down
 * the API says so (503 with Retry-After, /health naming it, fast); once it is
 * back the same engine process works again, without a restart. Runs against
 * a Postgres server of its own, so stopping it touches no other test.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startWeft, type Weft } from '../../engine/weft.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { apiClient, eventually, type ApiClient } from '../support/test-weft.js';
import { TEST_REDIS_URL, cleanupPrefix, openTestRedis, testQueuePrefix } from '../support/test-redis.js';

const threeTasks = readFileSync(new URL('../../bench/three-tasks.bpmn', import.meta.url), 'utf8');

describe('Postgres restarted under a running engine', () => {
  let postgres: PrivatePostgres;
  let weft: Weft;
  let api: ApiClient;
  const prefix = testQueuePrefix();
  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    weft = await startWeft({
      config: { port: 0, databaseUrl: postgres.databaseUrl('weft'), redisUrl: TEST_REDIS_URL, queuePrefix: prefix, adminToken: 'test-admin-token', logLevel: 'silent' },
      logger: pino({ level: 'silent' }),
      background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000 },
    });
    api = apiClient(weft.url!, 'test-admin-token');
    for (const type of ['bench-1', 'bench-2', 'bench-3']) weft.worker(type, () => ({ [type]: true }), { timeoutMs: 2000 });
    await weft.engine.deploy([{ name: 'three-tasks.bpmn', content: threeTasks }], 'test');
  }, 90_000);
  afterAll(async () => {
    await weft?.close();
    await postgres?.stop();
    const redis = openTestRedis();
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  const completes = (id: string) => eventually(async () => (await api.get(`/api/process-instances/${id}`)).body.state === 'COMPLETED', 20_000);

  it('answers 503 with Retry-After while it is down, and works again once it is back', async () => {
    // given a working engine
    const before = await api.post('/api/process-instances', { processId: 'bench-three-tasks' });
    expect(before.status).toBe(201);
    await completes(before.body.id);

    // when Postgres stops
    await postgres.stopServer();

    // then clients are told to come back, and /health names Postgres, fast
    const start = await fetch(`${weft.url}/api/process-instances`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ processId: 'bench-three-tasks' }),
    });
    expect(start.status).toBe(503);
    expect(start.headers.get('retry-after')).toBe('2');
    expect((await start.json()).error.code).toBe('SERVICE_UNAVAILABLE');
    const asked = Date.now();
    const health = await fetch(`${weft.url}/health`);
    expect(Date.now() - asked).toBeLessThan(2000);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ postgres: false, redis: true, down: ['postgres'] });

    // when it comes back
    await postgres.startServer();

    // then the same process serves again: health, starts, and the work (workers, relay) goes on
    await eventually(async () => (await fetch(`${weft.url}/health`)).status === 200, 15_000);
    const after = await api.post('/api/process-instances', { processId: 'bench-three-tasks' });
    expect(after.status).toBe(201);
    await completes(after.body.id);
  }, 60_000);

  it('answers /health within a second when no pool connection comes free', async () => {
    // given every pool connection held by a transaction that does not end
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holders = Array.from({ length: 10 }, () => weft.db.transaction(async () => held));
    await eventually(async () => (weft.db.client as { pool: { numUsed(): number } }).pool.numUsed() === 10);
    try {
      // when a load balancer asks
      const asked = Date.now();
      const health = await fetch(`${weft.url}/health`);
      // then it gets an answer, and not after the pool's 10 s acquire timeout
      expect(Date.now() - asked).toBeLessThan(2500);
      expect(health.status).toBe(503);
      expect((await health.json()).down).toEqual(['postgres']);
    } finally {
      release();
      await Promise.all(holders);
    }
  }, 30_000);
});
