/**
 * Engine processes serving the REST API on ports of their own, and
 * publishers that drive messages through them: for the two-engine message
 * test and the message bench.
 */
import { createServer } from 'node:net';
import { spawnEngine, type EngineProcess } from './spawn-engine.js';

/** The admin token of test/support/engine-process.ts. */
export const CHILD_TOKEN = 'child-admin-token';

export interface HttpEngine {
  process: EngineProcess;
  url: string;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `count` engine processes on one database, Redis and prefix, each serving the API; resolves once all listen. */
export async function startHttpEngines(count: number, where: { databaseUrl: string; redisUrl: string; queuePrefix: string }, env: Record<string, string> = {}): Promise<HttpEngine[]> {
  const engines: HttpEngine[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const process = spawnEngine({ DATABASE_URL: where.databaseUrl, REDIS_URL: where.redisUrl, WEFT_QUEUE_PREFIX: where.queuePrefix, HTTP_PORT: String(port), ...env });
    engines.push({ process, url: `http://127.0.0.1:${port}` });
  }
  await Promise.all(engines.map((e) => e.process.waitFor(/^ready$/, 60_000)));
  return engines;
}

/** POST /api/messages on one engine; a non-200 answer throws with its body. */
export async function publishTo(url: string, body: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { authorization: `Bearer ${CHILD_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json();
  if (res.status !== 200) throw new Error(`publish to ${url} answered ${res.status}: ${JSON.stringify(answer)}`);
  return answer;
}
