/**
 * The BullMQ queues Weft's jobs go to, read from the job types in Postgres
 * (the truth) rather than from Redis (a SCAN walks every key of a shared
 * server). The distinct types are found with a loose index scan over
 * jobs(type, state, available_at): one index probe per type, however many
 * jobs there are. Used by the metrics' queue depths and the queue board.
 */
import type { Knex } from 'knex';
import { queueForJobType } from './routing.js';

/** More queues than this are not walked at each scrape (a bound on its cost); the rest are left out. */
export const MAX_KNOWN_QUEUES = 200;

const DISTINCT_TYPES = `
  WITH RECURSIVE types AS (
    (SELECT type FROM jobs ORDER BY type LIMIT 1)
    UNION ALL
    SELECT (SELECT j.type FROM jobs j WHERE j.type > t.type ORDER BY j.type LIMIT 1) FROM types t WHERE t.type IS NOT NULL
  )
  SELECT type FROM types WHERE type IS NOT NULL LIMIT ?`;

/** `also`: queues that carry no jobs of the jobs table (the people feature's `human-task`). */
export async function knownQueues(db: Knex, also: readonly string[] = []): Promise<string[]> {
  const queues = new Set<string>([...also, ...(await knownJobTypes(db, MAX_KNOWN_QUEUES)).map(queueForJobType)]);
  return [...queues].sort().slice(0, MAX_KNOWN_QUEUES);
}

/** The distinct job types in Postgres, in order, at most `limit`. */
export async function knownJobTypes(db: Knex, limit: number): Promise<string[]> {
  const { rows } = await db.raw(DISTINCT_TYPES, [limit]);
  return (rows as { type: string }[]).map((r) => r.type);
}
