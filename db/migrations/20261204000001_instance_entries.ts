import type { Knex } from 'knex';

/**
 * An instance's live element instances, jobs and waits move out of its state
 * document into rows of their own, one per entry: a step then reads and
 * writes what it touches, not the whole instance (a multi-instance body with
 * 10,000 runs rewrote all of them for each run that completed). The
 * document keeps the rest (status, incidents, counters, parent link).
 *
 * `revision` counts the writes of an instance row, so an engine that kept an
 * instance's state in memory after its last command can tell, under the row
 * lock, whether anyone has changed it since.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE instance_entries (
      instance_id uuid NOT NULL REFERENCES process_instances(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('element', 'job', 'wait')),
      key text NOT NULL,
      value jsonb NOT NULL,
      PRIMARY KEY (instance_id, kind, key)
    )`);
  await knex.raw('ALTER TABLE process_instances ADD COLUMN revision bigint NOT NULL DEFAULT 0');
  await knex.raw(`
    INSERT INTO instance_entries (instance_id, kind, key, value)
    SELECT p.id, m.kind, e.key, e.value
      FROM process_instances p
      CROSS JOIN LATERAL (VALUES ('element', p.state->'elements'), ('job', p.state->'jobs'), ('wait', p.state->'waits')) AS m(kind, map)
      CROSS JOIN LATERAL jsonb_each(COALESCE(m.map, '{}'::jsonb)) AS e(key, value)`);
  await knex.raw(`UPDATE process_instances SET state = state - 'elements' - 'jobs' - 'waits'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    UPDATE process_instances p SET state = p.state
      || jsonb_build_object('elements', COALESCE((SELECT jsonb_object_agg(key, value) FROM instance_entries e WHERE e.instance_id = p.id AND e.kind = 'element'), '{}'::jsonb))
      || jsonb_build_object('jobs', COALESCE((SELECT jsonb_object_agg(key, value) FROM instance_entries e WHERE e.instance_id = p.id AND e.kind = 'job'), '{}'::jsonb))
      || jsonb_build_object('waits', COALESCE((SELECT jsonb_object_agg(key, value) FROM instance_entries e WHERE e.instance_id = p.id AND e.kind = 'wait'), '{}'::jsonb))`);
  await knex.raw('ALTER TABLE process_instances DROP COLUMN revision');
  await knex.raw('DROP TABLE instance_entries');
}
