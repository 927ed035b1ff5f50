/**
 * A Redis server of the test's own, for tests that must FLUSHALL, stop or
 * restart Redis without touching the Redis every other test shares.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  client: Redis;
  /** Kills the server (SIGKILL: an outage, not a shutdown); `startServer` brings it back on the same port. */
  stopServer(): Promise<void>;
  /** Starts the server again after `stopServer`, empty (no persistence); resolves once it answers. */
  startServer(): Promise<void>;
  /** Stops the server for good (end of the test). */
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const dir = mkdtempSync(join(tmpdir(), 'weft-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let server: { process: ChildProcess; exited: Promise<unknown> } | null = null;

  async function start(): Promise<void> {
    if (server) return;
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    server = { process: child, exited: new Promise((resolve) => child.once('exit', resolve)) };
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch (error) {
        probe.disconnect();
        if (Date.now() > deadline) {
          child.kill();
          throw new Error(`redis-server on port ${port} did not start: ${String(error)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function kill(): Promise<void> {
    if (!server) return;
    const { process: child, exited } = server;
    server = null;
    child.kill('SIGKILL');
    await exited;
  }

  await start();
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  return {
    url,
    client,
    stopServer: kill,
    startServer: start,
    async stop() {
      client.disconnect();
      await kill();
    },
  };
}
