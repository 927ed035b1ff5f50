/**
 * Puts work on BullMQ queues. The BullMQ job id is the outbox row id, so
 * relaying the same row twice enqueues once. Queue messages carry ids, not
 * state: a worker re-reads the job from Postgres before it acts.
 */
import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { ConnectionError } from '../connection-error.js';
import { START_HINT, type RedisClient } from './redis.js';
import { formatNode } from './redis-url.js';
import { bullQueueName } from './keyspace.js';
import { withTimeout } from '../with-timeout.js';

export interface Dispatch {
  /** Outbox row id = BullMQ job id. */
  id: string;
  queue: string;
  /** The job key, and the W3C trace context the worker continues (when tracing is on). */
  payload: { jobKey: string; traceparent?: string };
  availableAt: Date;
}

const PENDING = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export class Dispatcher {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: RedisClient,
    readonly prefix: string,
    /**
     * How long a dispatch on a request's path (OutboxRelay.relay) may take
     * before it counts as failed. What did not go out stays in the outbox (or
     * the jobs table) and is sent again later, so a request is never held
     * hostage to Redis; the bound also covers a queue first used while Redis
     * is down, which waits for the connection. Background batches (the sweep,
     * the re-drive of thousands of jobs) take no bound: cutting them off would
     * only start them over.
     */
    readonly requestTimeoutMs = 2000,
  ) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // On a Redis Cluster the BullMQ name is a hash tag, so the queue's keys share a slot (keyspace.ts).
      queue = new Queue(bullQueueName(name, this.connection), { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Whether the connection is to a Redis Cluster (keyspace.ts). */
  get cluster(): boolean {
    return this.connection.isCluster;
  }

  /** Whether the connection is up (a dispatch now is not refused at once). */
  get ready(): boolean {
    return this.connection.status === 'ready';
  }

  async dispatch(items: Dispatch[], options: { timeoutMs?: number } = {}): Promise<void> {
    const now = Date.now();
    // Known down (reconnecting): fail now rather than wait out the bound.
    if (!this.ready) throw this.unavailable(`the connection is ${this.connection.status}`);
    const { timeoutMs } = options;
    if (timeoutMs === undefined) return this.send(items, now);
    await withTimeout(this.send(items, now), timeoutMs, () => this.unavailable(`no answer within ${timeoutMs} ms`));
  }

  private unavailable(reason: string): ConnectionError {
    return new ConnectionError('Redis', addressOf(this.connection), reason, START_HINT);
  }

  private async send(items: Dispatch[], now: number): Promise<void> {
    const byQueue = new Map<string, Dispatch[]>();
    for (const item of items) {
      const list = byQueue.get(item.queue) ?? [];
      list.push(item);
      byQueue.set(item.queue, list);
    }
    await Promise.all(
      [...byQueue].map(([name, list]) =>
        this.queue(name).addBulk(
          list.map((item) => ({
            name: 'job',
            data: item.payload,
            opts: {
              jobId: item.id,
              delay: Math.max(0, item.availableAt.getTime() - now),
              // Completion is recorded in Postgres; BullMQ keeps nothing it does not need.
              removeOnComplete: true,
              removeOnFail: 1000,
              attempts: 1,
            },
          })),
        ),
      ),
    );
  }

  /**
   * Whether a dispatched job will still be delivered, or is being worked. A
   * failed or finished message is not delivered again (a worker that could
   * not reach the engine, a message that stalled too often), and one that
   * Redis lost is not there at all.
   */
  async holds(queue: string, id: string): Promise<boolean> {
    return PENDING.has(await this.queue(queue).getJobState(id));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

function addressOf(connection: RedisClient): string {
  if (connection instanceof Cluster) {
    // The nodes it knows now (none while it has not reached any).
    const nodes = connection.nodes('master').map((n) => formatNode({ host: n.options.host ?? 'localhost', port: n.options.port ?? 6379 }));
    return nodes.length > 0 ? `the Redis Cluster of ${nodes.join(', ')}` : 'the Redis Cluster';
  }
  return `${connection.options.host}:${connection.options.port}`;
}
