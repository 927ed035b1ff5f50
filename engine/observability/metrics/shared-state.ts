/**
 * The gauges' figures, read when Prometheus scrapes: open incidents and the
 * outbox backlog from Postgres (each one bounded query), the depths of the
 * known queues from BullMQ (engine/queue/known-queues.ts). Nothing is kept
 * between scrapes.
 */
import type { Knex } from 'knex';
import type { Dispatcher } from '../../queue/dispatcher.js';
import { knownQueues } from '../../queue/known-queues.js';

export interface SharedStateSources {
  db: Knex;
  dispatcher: Dispatcher;
  /** Queues beyond those of the jobs table (the people feature's `human-task`). */
  extraQueues?: readonly string[];
}

export interface QueueDepth {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
}

export interface SharedState {
  openIncidents: number;
  outboxBacklog: number;
  outboxOldestAgeSeconds: number;
  queues: QueueDepth[];
}

/** A backlog larger than this is reported as this: counting further would make the scrape as slow as the backlog is long. */
export const OUTBOX_COUNT_CAP = 100_000;

export async function readSharedState(sources: SharedStateSources): Promise<SharedState> {
  const { db, dispatcher } = sources;
  const [incidents, outbox, queues] = await Promise.all([
    db.raw(`SELECT count(*)::int AS n FROM incidents WHERE state = 'OPEN'`),
    db.raw(
      // Relayed rows are deleted in batches (outbox-relay.ts): one relayed a moment ago may still be counted.
      `SELECT count(*)::int AS n, COALESCE(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS oldest
         FROM (SELECT created_at FROM outbox LIMIT ?) capped`,
      [OUTBOX_COUNT_CAP],
    ),
    knownQueues(db, sources.extraQueues),
  ]);
  const depths = await Promise.all(
    queues.map(async (queue) => {
      const counts = await dispatcher.queue(queue).getJobCounts('waiting', 'active', 'delayed');
      return { queue, waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0 };
    }),
  );
  return {
    openIncidents: incidents.rows[0].n,
    outboxBacklog: outbox.rows[0].n,
    outboxOldestAgeSeconds: Math.max(0, outbox.rows[0].oldest),
    queues: depths,
  };
}
