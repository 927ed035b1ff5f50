/**
 * What REDIS_URL names: one Redis server, or the nodes of a Redis Cluster.
 *
 * - `redis://[user:password@]host:port[/db]` (`rediss://` for TLS): one server,
 *   handed to ioredis as it is.
 * - `redis-cluster://[user:password@]host1:7000,host2:7001` (`rediss-cluster://`
 *   for TLS): a Redis Cluster, given by some of its nodes (ioredis learns the
 *   rest from CLUSTER SLOTS, so one reachable node is enough; naming more
 *   helps when one is down). The credentials are every node's. A cluster has
 *   only database 0, so no path; no query either.
 *
 * The scheme says "cluster", not the number of hosts: a managed cluster is
 * often reached through one configuration endpoint, and a list of `redis://`
 * URLs would read as a choice of servers. The same form is read by the
 * redis-cluster-url and redis-url-plus packages.
 *
 * Pure: no I/O, so config validation and every client maker share it.
 */

export interface ClusterNodeAddress {
  host: string;
  port: number;
}

export type RedisTarget =
  | { kind: 'server'; url: string }
  | { kind: 'cluster'; nodes: ClusterNodeAddress[]; username?: string; password?: string; tls: boolean };

export const CLUSTER_URL_EXAMPLE = 'redis-cluster://10.0.0.1:7000,10.0.0.2:7001';
const DEFAULT_PORT = 6379;

/** The target of a REDIS_URL, or why it names none (a sentence for the config error). */
export function parseRedisUrl(text: string): { target: RedisTarget } | { problem: string } {
  const cluster = /^(rediss?)-cluster:\/\/(.*)$/i.exec(text);
  if (!cluster) return parseServerUrl(text);
  const tls = cluster[1].toLowerCase() === 'rediss';
  let rest = cluster[2];
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    try {
      username = decodeURIComponent(colon >= 0 ? userinfo.slice(0, colon) : userinfo) || undefined;
      password = colon >= 0 ? decodeURIComponent(userinfo.slice(colon + 1)) || undefined : undefined;
    } catch {
      return { problem: 'has a badly percent-encoded user or password' };
    }
  }
  if (/[/?#]/.test(rest.replace(/\/$/, ''))) return { problem: `names a path or query; a Redis Cluster has only database 0 (e.g. ${CLUSTER_URL_EXAMPLE})` };
  rest = rest.replace(/\/$/, '');
  if (rest === '') return { problem: `names no cluster node (e.g. ${CLUSTER_URL_EXAMPLE})` };
  const nodes: ClusterNodeAddress[] = [];
  for (const part of rest.split(',')) {
    const node = parseHostPort(part.trim());
    if (!node) return { problem: `has "${part.trim()}", which is not host:port (e.g. ${CLUSTER_URL_EXAMPLE})` };
    nodes.push(node);
  }
  return { target: { kind: 'cluster', nodes, username, password, tls } };
}

/** The target of a REDIS_URL already validated by the configuration (throws on a bad one: a bug, or a caller that skipped it). */
export function redisTarget(text: string): RedisTarget {
  const parsed = parseRedisUrl(text);
  if ('problem' in parsed) throw new Error(`REDIS_URL ${parsed.problem}`);
  return parsed.target;
}

/** Where a REDIS_URL points, for messages: host:port, or the cluster's nodes; never a password. */
export function redisAddress(text: string): string {
  const parsed = parseRedisUrl(text);
  if ('problem' in parsed) return '(unparseable URL)';
  const { target } = parsed;
  if (target.kind === 'cluster') return `the Redis Cluster of ${target.nodes.map(formatNode).join(', ')}`;
  const url = new URL(target.url);
  return `${url.hostname || 'localhost'}:${url.port || DEFAULT_PORT}`;
}

export function formatNode(node: ClusterNodeAddress): string {
  return node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;
}

function parseServerUrl(text: string): { target: RedisTarget } | { problem: string } {
  // `redis://a:7000,b:7001` is no URL (or one odd host name); say what was probably meant.
  if (/^rediss?:\/\/[^/]*,/i.test(text)) return { problem: `names one server; for the nodes of a Redis Cluster write ${CLUSTER_URL_EXAMPLE}` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `must be a redis:// URL, e.g. redis://127.0.0.1:6379 (for a Redis Cluster: ${CLUSTER_URL_EXAMPLE})` };
  }
  if (!/^rediss?:$/.test(url.protocol)) {
    return { problem: `must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (for a Redis Cluster: ${CLUSTER_URL_EXAMPLE})` };
  }
  return { target: { kind: 'server', url: text } };
}

function parseHostPort(text: string): ClusterNodeAddress | null {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return null;
  const port = match[3] === undefined ? DEFAULT_PORT : Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2], port };
}
