/**
 * Where Weft's keys live in Redis, on one server and on a Redis Cluster.
 *
 * BullMQ's Lua scripts touch many keys of one queue at once
 * (`<prefix>:<queue>:wait`, `:active`, `:events`, the job hashes …). A
 * cluster refuses a script whose keys hash to different slots (CROSSSLOT), so
 * on a cluster each queue's BullMQ name is a hash tag, `{job.send-mail}`:
 * its keys are `weft:{job.send-mail}:wait` and so on, and only the text inside
 * the braces picks the slot — every key of the queue on one slot, the queues
 * spread over the masters (one `{weft}` prefix would have put every queue on
 * one master, and the cluster would carry no more than one server).
 *
 * On one server nothing changes: the name is the queue's own (`job.send-mail`),
 * so an existing deployment keeps its keys. Moving a deployment to a cluster
 * moves nothing either: the cluster starts empty, the re-drive (redrive.ts)
 * sees no sentinel and dispatches every pending job again from Postgres.
 *
 * The mode comes from the connection (`isCluster`), not from a setting: a
 * worker on another host that connects with the same REDIS_URL (openRedis)
 * reads and writes the same keys as the engine. Weft's queue names keep to
 * [A-Za-z0-9_.-] (routing.ts), so a name never holds a brace of its own.
 */

/** What decides the keyspace: ioredis `Redis` and `Cluster` both say which they are. */
export interface KeyspaceConnection {
  readonly isCluster: boolean;
}

/** The BullMQ queue name of a Weft queue (`job.x`, `agent`, `human-task`) on this connection. */
export function bullQueueName(queue: string, connection: KeyspaceConnection): string {
  return connection.isCluster ? `{${queue}}` : queue;
}

/**
 * The key that says "this Redis has seen our dispatches" (redrive.ts). On
 * one server: one key for the deployment, which shares the server's fate
 * with every queue. On a cluster: one per queue, in the queue's slot (the
 * same hash tag), so it is lost exactly when that queue's keys are lost.
 */
export function sentinelKey(prefix: string, connection: KeyspaceConnection, queue?: string): string {
  if (!connection.isCluster) return `${prefix}:weft:sentinel`;
  if (queue === undefined) throw new Error('on a Redis Cluster a sentinel belongs to a queue');
  return `${prefix}:weft:sentinel:{${queue}}`;
}
