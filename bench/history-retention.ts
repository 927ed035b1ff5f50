/**
 * What the history retention's removal costs (issue #13; docs/history-retention.md):
 * N ended instances, each with audit rows (chained by the seal trigger), jobs,
 * tasks and entries, removed by RetentionRunner in batches; prints the rows,
 * each batch's transaction time, and the total. `npx tsx bench/history-retention.ts [instances] [batch]`.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createTestDatabase } from '../test/support/test-database.js';
import { RetentionRunner } from '../engine/features/history-retention/retention-runner.js';

const instances = Number(process.argv[2] ?? 20_000);
const batchSize = Number(process.argv[3] ?? 500);
const AUDIT_PER_INSTANCE = 10;

const database = await createTestDatabase();
const db = database.knex;
try {
  const deployment = randomUUID();
  const definition = randomUUID();
  await db('deployments').insert({ id: deployment, resources: '[]' });
  await db('process_definitions').insert({ key: definition, process_id: 'bench', version: 1, checksum: 'x', resource_name: 'b.bpmn', deployment_id: deployment, xml: '<x/>', model: '{}' });
  const t0 = Date.now();
  for (let done = 0; done < instances; done += 1000) {
    const n = Math.min(1000, instances - done);
    await db.raw(
      `WITH ids AS (SELECT gen_random_uuid() AS id FROM generate_series(1, ?)),
            p AS (INSERT INTO process_instances (id, definition_key, process_id, version, status, state, ended_at)
                  SELECT id, ?, 'bench', 1, 'COMPLETED', '{}', now() - interval '40 days' FROM ids RETURNING id),
            e AS (INSERT INTO instance_entries (instance_id, kind, key, value) SELECT p.id, 'element', g::text, '{}' FROM p, generate_series(1, 3) g),
            j AS (INSERT INTO jobs (key, type, process_instance_id, process_id, element_id, element_instance_key, state, retries, headers, variables)
                  SELECT gen_random_uuid(), 't', p.id, 'bench', 'e', g::text, 'COMPLETED', 0, '{}', '{}' FROM p, generate_series(1, 2) g),
            t AS (INSERT INTO tasks (id, process_instance_id, process_id, element_id, element_instance_key, state, headers, variables)
                  SELECT gen_random_uuid(), p.id, 'bench', 'u', '1', 'COMPLETED', '{}', '{}' FROM p)
       INSERT INTO audit (process_instance_id, actor, type, payload) SELECT p.id, 'engine', 'E', jsonb_build_object('g', g) FROM p, generate_series(1, ?) g`,
      [n, definition, AUDIT_PER_INSTANCE],
    );
  }
  const audit = await db('audit').count<{ n: string }[]>('* as n');
  console.log(`setup: ${instances} instances, ${audit[0].n} audit rows, ${instances * 2} jobs, ${instances} tasks, ${instances * 3} entries in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const runner = new RetentionRunner({ db, logger: pino({ level: 'silent' }), settings: { ttlDays: 30, batchSize, pauseMs: 0, pollMs: 1000, archiveDir: process.env.ARCHIVE_DIR ?? null } });
  const times: number[] = [];
  const start = Date.now();
  for (;;) {
    const b0 = Date.now();
    const { removed } = await runner.batch();
    if (removed === 0) break;
    times.push(Date.now() - b0);
  }
  const total = (Date.now() - start) / 1000;
  times.sort((a, b) => a - b);
  console.log(`removed in ${times.length} batches of ${batchSize}: ${total.toFixed(1)} s total, ${Math.round(instances / total)} instances/s; batch ms p50 ${times[Math.floor(times.length / 2)]}, p95 ${times[Math.floor(times.length * 0.95)]}, max ${times.at(-1)}`);
  const t1 = Date.now();
  await db.raw('CREATE TABLE drop_me AS SELECT * FROM audit_links');
  const t2 = Date.now();
  await db.raw('DROP TABLE drop_me');
  console.log(`for comparison: dropping a table (a partition) of that size takes ${Date.now() - t2} ms (copy ${t2 - t1} ms)`);
} finally {
  await database.drop();
}
