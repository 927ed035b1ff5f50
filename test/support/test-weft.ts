/**
 * A whole Weft engine for one test file: a fresh database, its own BullMQ
 * prefix, the REST API on a free port, and a small client for the API.
 */
import { pino } from 'pino';
import { startWeft, type Weft, type WeftOptions } from '../../engine/weft.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { cleanupPrefix, openTestRedis, testQueuePrefix, TEST_REDIS_URL } from './test-redis.js';
import type { Config } from '../../engine/config.js';

export interface TestWeft {
  weft: Weft;
  database: TestDatabase;
  config: Config;
  api: ApiClient;
  /** Stops the engine, drops the database and removes the Redis keys. */
  stop(): Promise<void>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface ApiClient {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  /** Deploys XML as the multipart field `files`. */
  deploy<T = any>(files: { name: string; xml: string }[]): Promise<ApiResponse<T>>;
}

/**
 * `where.config` adds to or overrides the test configuration (e.g. `reach`: the agent connections and inline settings; a log level; no admin token, so one is generated).
 * `where.databaseUrl` turns the fresh database's direct URL into the one the engine uses (through a pooler); it is still created and dropped direct.
 */
export async function startTestWeft(options: Partial<WeftOptions> = {}, where: { redisUrl?: string; config?: Partial<Config>; databaseUrl?: (direct: string) => string } = {}): Promise<TestWeft> {
  const database = await createTestDatabase({ migrate: false });
  const config: Config = {
    port: 0,
    databaseUrl: where.databaseUrl ? where.databaseUrl(database.url) : database.url,
    redisUrl: where.redisUrl ?? TEST_REDIS_URL,
    adminToken: 'test-admin-token',
    queuePrefix: testQueuePrefix(),
    logLevel: 'silent',
    ...where.config,
  };
  const weft = await startWeft({ config, logger: pino({ level: process.env.WEFT_TEST_LOG ?? 'silent' }), background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000, timerPollMs: 100, messageSweepMs: 500 }, ...options });
  const api = apiClient(weft.url!, weft.adminToken);
  return {
    weft,
    database,
    config,
    api,
    async stop() {
      await weft.close();
      await database.drop();
      if (config.redisUrl === TEST_REDIS_URL) {
        const redis = openTestRedis();
        await cleanupPrefix(redis, config.queuePrefix);
        await redis.quit();
      }
    },
  };
}

export function apiClient(baseUrl: string, token: string): ApiClient {
  const headers = { authorization: `Bearer ${token}` };
  const parse = async (res: Response) => {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (XML), keep the text
    }
    return { status: res.status, body } as ApiResponse;
  };
  return {
    get: async (path) => parse(await fetch(baseUrl + path, { headers })),
    post: async (path, body) =>
      parse(await fetch(baseUrl + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) })),
    deploy: async (files) => {
      const form = new FormData();
      for (const f of files) form.append('files', new Blob([f.xml], { type: 'application/xml' }), f.name);
      return parse(await fetch(baseUrl + '/api/deployments', { method: 'POST', headers, body: form }));
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
