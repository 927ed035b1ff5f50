/**
 * The soak's figures, read from Postgres once the run has drained: the truth
 * is what was recorded, not what the clients believe they did.
 */
import type { Knex } from 'knex';

export interface Tally {
  started: number;
  completed: number;
  /** Instances that never completed, plus starts acknowledged to a client that Postgres does not hold. */
  lost: number;
  /** Things that happened twice: an element instance completed twice, a job or task completed twice, a job or task created twice. */
  doubled: number;
  /** The longest gap between two recorded steps of one instance (or from its last step to the end, when it did not finish). */
  maxStallMs: number;
  /** What each kind of doubling found, and the instances left over, for the log. */
  details: Record<string, unknown>;
}

export async function tally(db: Knex, acknowledged: Set<string>, endedAt: Date): Promise<Tally> {
  const count = async (sql: string, bindings: Knex.RawBinding[] = []) => Number((await db.raw(sql, bindings)).rows[0].n);
  const started = await count(`SELECT count(*) AS n FROM process_instances WHERE process_id = 'soak'`);
  const completed = await count(`SELECT count(*) AS n FROM process_instances WHERE process_id = 'soak' AND status = 'COMPLETED'`);
  const known = new Set<string>((await db('process_instances').where({ process_id: 'soak' }).pluck('id')) as string[]);
  const missing = [...acknowledged].filter((id) => !known.has(id));

  const doublings: Record<string, string> = {
    // Element instance keys count up within each instance.
    elementCompletedTwice: `SELECT count(*) AS n FROM (SELECT 1 FROM audit WHERE type = 'ELEMENT_COMPLETED' GROUP BY process_instance_id, element_instance_key HAVING count(*) > 1) x`,
    jobCompletedTwice: `SELECT count(*) AS n FROM (SELECT 1 FROM audit WHERE type = 'JOB_COMPLETED' GROUP BY payload->>'jobKey' HAVING count(*) > 1) x`,
    taskCompletedTwice: `SELECT count(*) AS n FROM (SELECT 1 FROM audit WHERE type = 'TASK_COMPLETED' GROUP BY payload->>'taskId' HAVING count(*) > 1) x`,
    jobCreatedTwice: `SELECT count(*) AS n FROM (SELECT 1 FROM jobs GROUP BY process_instance_id, element_instance_key HAVING count(*) > 1) x`,
    // The soak's process has no loops: one task per instance and element.
    taskCreatedTwice: `SELECT count(*) AS n FROM (SELECT 1 FROM tasks GROUP BY process_instance_id, element_id HAVING count(*) > 1) x`,
  };
  const found: Record<string, number> = {};
  for (const [name, sql] of Object.entries(doublings)) found[name] = await count(sql);

  const stall = await db.raw(
    `SELECT coalesce(max(gap), 0) AS ms FROM (
       SELECT extract(epoch FROM at - lag(at) OVER (PARTITION BY process_instance_id ORDER BY at, id)) * 1000 AS gap
         FROM audit WHERE process_instance_id IS NOT NULL
       UNION ALL
       SELECT extract(epoch FROM ?::timestamptz - max(a.at)) * 1000
         FROM audit a JOIN process_instances pi ON pi.id = a.process_instance_id
        WHERE pi.status <> 'COMPLETED' GROUP BY a.process_instance_id
     ) gaps`,
    [endedAt.toISOString()],
  );
  const leftOver = await db.raw(
    `SELECT pi.id, pi.status,
            (SELECT json_agg(json_build_object('element', j.element_id, 'state', j.state, 'retries', j.retries)) FROM jobs j WHERE j.process_instance_id = pi.id AND j.state NOT IN ('COMPLETED', 'CANCELED')) AS jobs,
            (SELECT json_agg(json_build_object('element', t.element_id, 'state', t.state)) FROM tasks t WHERE t.process_instance_id = pi.id AND t.state = 'CREATED') AS tasks,
            (SELECT json_agg(i.message) FROM incidents i WHERE i.process_instance_id = pi.id AND i.state = 'OPEN') AS incidents
       FROM process_instances pi WHERE pi.process_id = 'soak' AND pi.status <> 'COMPLETED' LIMIT 10`,
  );
  return {
    started,
    completed,
    lost: started - completed + missing.length,
    doubled: Object.values(found).reduce((a, b) => a + b, 0),
    maxStallMs: Math.round(Number(stall.rows[0].ms)),
    details: { doublings: found, acknowledgedButMissing: missing.slice(0, 10), notCompleted: leftOver.rows },
  };
}
