/**
 * A real Redis Cluster of the test's own: three masters (no replicas) of
 * `redis-server --cluster-enabled yes` on free loopback ports, data in a
 * temporary directory, made one cluster by `redis-cli --cluster create`.
 * Tests may FLUSHALL its masters; `stop()` kills the servers and removes the
 * directory (call it in afterAll, whatever happened).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface ClusterMaster {
  port: number;
  /** A plain connection to this one node (FLUSHALL, CLUSTER commands, EXISTS of its own keys). */
  client: Redis;
}

export interface PrivateRedisCluster {
  /** REDIS_URL for Weft: redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3 */
  url: string;
  masters: ClusterMaster[];
  /** The master that serves a key's slot now. */
  masterOf(key: string): Promise<ClusterMaster>;
  /** Stops every server and removes the data directory; safe to call twice or after a failed start. */
  stop(): Promise<void>;
}

/** Why a cluster cannot be started here (redis-server or redis-cli missing), or null. */
export function redisClusterUnavailable(): string | null {
  for (const tool of ['redis-server', 'redis-cli']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) return `${tool} is not installed (apt-get install redis-server redis-tools)`;
  }
  return null;
}

export async function startRedisCluster(size = 3): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-redis-cluster-'));
  const servers: { child: ChildProcess; exited: Promise<unknown> }[] = [];
  const masters: ClusterMaster[] = [];
  const stop = async () => {
    for (const m of masters.splice(0)) m.client.disconnect();
    await Promise.all(
      servers.splice(0).map(({ child, exited }) => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = await freeClusterPorts(size);
    for (const port of ports) {
      // Each node keeps its own nodes.conf, so each gets a directory of its own.
      const nodeDir = join(dir, String(port));
      mkdirSync(nodeDir);
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000', '--dir', nodeDir, '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      servers.push({ child, exited: new Promise((resolve) => child.once('exit', resolve)) });
    }
    for (const port of ports) {
      const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, lazyConnect: true });
      client.on('error', () => undefined);
      masters.push({ port, client });
      await until(async () => (await connected(client).then(() => client.ping())) === 'PONG', `redis-server on port ${port} did not start`);
    }
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    // Every node must agree that every slot is served before a client can count on it.
    for (const { client, port } of masters) {
      await until(async () => /cluster_state:ok/.test(String(await client.call('CLUSTER', 'INFO'))), `node ${port} never said cluster_state:ok`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis-cluster://${masters.map((m) => `127.0.0.1:${m.port}`).join(',')}`,
    masters: [...masters],
    async masterOf(key) {
      const slot = Number(await masters[0].client.call('CLUSTER', 'KEYSLOT', key));
      const ranges = (await masters[0].client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      const master = masters.find((m) => m.port === range?.[2][1]);
      if (!master) throw new Error(`no master serves slot ${slot}`);
      return master;
    },
    stop,
  };
}

async function connected(client: Redis): Promise<void> {
  if (client.status === 'wait') await client.connect();
}

async function until(check: () => Promise<boolean>, failure: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${failure}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ports whose cluster bus port (port + 10000) is free too. */
async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (ports.includes(port) || ports.includes(port + 10000) || ports.includes(port - 10000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10000))) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
