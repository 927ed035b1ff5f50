import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config.js';
import { ConnectionError } from '../../engine/connection-error.js';
import { ensureAdminToken } from '../../engine/persistence/admin-token.js';
import { createDatabase, migrate, openDatabase } from '../../engine/persistence/database.js';
import { checkRedis } from '../../engine/queue/redis.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { cleanupPrefix, openTestRedis, testQueuePrefix, TEST_REDIS_URL } from '../support/test-redis.js';

describe('configuration', () => {
  it('defaults to Postgres and Redis on their local ports', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/weft',
      redisUrl: 'redis://127.0.0.1:6379',
      adminToken: undefined,
      queuePrefix: 'weft',
      logLevel: 'info',
      trustProxy: false,
      reach: { connections: expect.objectContaining({ openai: expect.objectContaining({ kind: 'openai' }) }), inline: { mcpCommands: false, mcpUrls: false } },
      feelLimits: { timeMs: 20, maxItems: 100_000, maxStringLength: 1_000_000, maxDepth: 200 },
      // History is kept forever unless a TTL is set.
      historyRetention: { ttlDays: null, batchSize: 500, pauseMs: 1000, pollMs: 60_000, archiveDir: null },
      timerPollMs: 500,
      exampleWorkers: true,
      connectors: { enabled: true, allow: [], maxResponseBytes: 5 * 1024 * 1024 },
      batchOperations: { chunkSize: 50, pollMs: 2000, pauseMs: 0 },
    });
  });

  it('reads the batch operation settings and refuses ones out of bounds', () => {
    expect(loadConfig({ WEFT_BATCH_CHUNK_SIZE: '5', WEFT_BATCH_POLL_MS: '100', WEFT_BATCH_PAUSE_MS: '250' }).batchOperations).toEqual({ chunkSize: 5, pollMs: 100, pauseMs: 250 });
    expect(() => loadConfig({ WEFT_BATCH_CHUNK_SIZE: '0' })).toThrow(/WEFT_BATCH_CHUNK_SIZE: must be at least 1/);
    expect(() => loadConfig({ WEFT_BATCH_CHUNK_SIZE: '5000' })).toThrow(/WEFT_BATCH_CHUNK_SIZE: must be at most 1000/);
    expect(() => loadConfig({ WEFT_BATCH_PAUSE_MS: '-1', WEFT_BATCH_POLL_MS: 'soon' })).toThrow(/WEFT_BATCH_POLL_MS: must be a whole number[\s\S]*WEFT_BATCH_PAUSE_MS: must be at least 0/);
  });

  it('turns the example workers off with WEFT_EXAMPLE_WORKERS=off and refuses other values', () => {
    expect(loadConfig({ WEFT_EXAMPLE_WORKERS: 'off' }).exampleWorkers).toBe(false);
    expect(() => loadConfig({ WEFT_EXAMPLE_WORKERS: 'no' })).toThrow(/WEFT_EXAMPLE_WORKERS: must be on or off/);
  });

  it('reads the connector settings and names an allow-list entry that is neither a host nor a CIDR', () => {
    expect(loadConfig({ WEFT_CONNECTORS: 'off', WEFT_CONNECTOR_ALLOW: '127.0.0.1, 10.0.0.0/8,api.internal' }).connectors).toEqual({ enabled: false, allow: ['127.0.0.1', '10.0.0.0/8', 'api.internal'], maxResponseBytes: 5 * 1024 * 1024 });
    expect(() => loadConfig({ WEFT_CONNECTOR_ALLOW: '10.0.0.0/99' })).toThrow(/WEFT_CONNECTOR_ALLOW: '10.0.0.0\/99' is neither a host nor a CIDR/);
    expect(() => loadConfig({ WEFT_CONNECTORS: 'maybe' })).toThrow(/WEFT_CONNECTORS: must be on or off/);
  });

  it('reads the timer poll interval and refuses one that is not a positive whole number of at most a minute', () => {
    expect(loadConfig({ WEFT_TIMER_POLL_MS: '50' }).timerPollMs).toBe(50);
    expect(() => loadConfig({ WEFT_TIMER_POLL_MS: '0' })).toThrow(/WEFT_TIMER_POLL_MS: must be at least 1/);
    expect(() => loadConfig({ WEFT_TIMER_POLL_MS: '120000' })).toThrow(/WEFT_TIMER_POLL_MS: must be at most 60000/);
  });

  it('reads the bounds on FEEL evaluation and refuses ones that are not positive whole numbers', () => {
    expect(loadConfig({ WEFT_FEEL_TIME_LIMIT_MS: '50', WEFT_FEEL_MAX_DEPTH: '64' }).feelLimits).toEqual({ timeMs: 50, maxItems: 100_000, maxStringLength: 1_000_000, maxDepth: 64 });
    expect(() => loadConfig({ WEFT_FEEL_TIME_LIMIT_MS: '0', WEFT_FEEL_MAX_ITEMS: 'many' })).toThrow(/WEFT_FEEL_TIME_LIMIT_MS: must be at least 1[\s\S]*WEFT_FEEL_MAX_ITEMS: must be a whole number/);
    // A limit past what node:vm accepts made every bounded evaluation fail, and form checks answer 500.
    expect(() => loadConfig({ WEFT_FEEL_TIME_LIMIT_MS: '5000000000' })).toThrow(/WEFT_FEEL_TIME_LIMIT_MS: must be at most 60000/);
  });

  it('reads the environment and treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '8080', WEFT_ADMIN_TOKEN: 'a-long-enough-token', REDIS_URL: '', LOG_LEVEL: 'debug' });
    expect(config).toMatchObject({ port: 8080, adminToken: 'a-long-enough-token', redisUrl: 'redis://127.0.0.1:6379', logLevel: 'debug' });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'http', DATABASE_URL: 'mysql://x/y' })).toThrow(/PORT[\s\S]*DATABASE_URL: must be a postgres:\/\/ URL/);
  });
});

describe('Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates a fresh database to the engine schema', async () => {
    const { rows } = await db.knex.raw<{ rows: { tablename: string }[] }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['audit', 'deployments', 'incidents', 'jobs', 'outbox', 'process_definitions', 'process_instances', 'settings', 'tasks']),
    );
    // given a migrated database, when migrating again, then nothing runs
    expect(await migrate(db.knex)).toEqual([]);
  });

  it('keeps the audit log append-only', async () => {
    const [row] = await db.knex('audit').insert({ actor: 'test', type: 'PROBE' }).returning('id');
    expect(typeof row.id).toBe('string'); // bigint ids come back as strings, never rounded
    await expect(db.knex('audit').where({ id: row.id }).update({ actor: 'someone else' })).rejects.toThrow(/append-only/);
    await expect(db.knex('audit').where({ id: row.id }).delete()).rejects.toThrow(/append-only/);
  });

  it('generates the admin token once and keeps it', async () => {
    const first = await ensureAdminToken(db.knex);
    expect(first.generated).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const second = await ensureAdminToken(db.knex);
    expect(second).toEqual({ token: first.token, generated: false });

    // a configured token wins and is not stored
    expect(await ensureAdminToken(db.knex, 'configured-token')).toEqual({ token: 'configured-token', generated: false });
    expect(await db.knex('settings').where({ key: 'admin_token' }).first('value')).toEqual({ value: first.token });
  });

  it('agrees on one token when several engines start at once', async () => {
    await db.knex('settings').where({ key: 'admin_token' }).delete();
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureAdminToken(db.knex)));
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect(results.filter((r) => r.generated).length).toBeLessThanOrEqual(1);
  });

  it('says which service is down, where, and how to start it', async () => {
    const error = await openDatabase({ databaseUrl: 'postgres://postgres:secret@127.0.0.1:1/weft' }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('Postgres at 127.0.0.1:1');
    expect(error.message).toContain('docker compose up -d postgres');
    expect(error.message).not.toContain('secret');
    await expect(createDatabase('postgres://postgres@127.0.0.1:1/weft')).rejects.toThrow('Postgres at 127.0.0.1:1');
  });
});

describe('Redis', () => {
  let redis: Redis;
  const prefix = testQueuePrefix();
  beforeAll(() => {
    redis = openTestRedis();
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('answers, and a test prefix cleans up only its own keys', async () => {
    await checkRedis(TEST_REDIS_URL);
    const other = testQueuePrefix();
    expect(other).not.toBe(prefix);
    await redis.set(`${prefix}:queue:a`, '1');
    await redis.set(`${prefix}:queue:b`, '2');
    await redis.set(`${other}:queue:a`, '3');
    expect(await redis.get(`${prefix}:queue:a`)).toBe('1');

    expect(await cleanupPrefix(redis, prefix)).toBe(2);
    expect(await redis.exists(`${prefix}:queue:a`, `${prefix}:queue:b`)).toBe(0);
    expect(await redis.get(`${other}:queue:a`)).toBe('3');
    await cleanupPrefix(redis, other);
  });

  it('says which service is down, where, and how to start it', async () => {
    const error = await checkRedis('redis://127.0.0.1:1', 1000).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('Redis at 127.0.0.1:1');
    expect(error.message).toContain('docker compose up -d redis');
  });
});
