/**
 * Each deployed process version with how many of its instances are in each
 * state: one aggregate over the instances (and their open incidents), not a
 * count per version — a page with 200 versions asks once.
 */
import type { Knex } from 'knex';

export interface DefinitionStatistics {
  key: string;
  processId: string;
  version: number;
  name: string | null;
  createdAt: string;
  active: number;
  /** Active instances with at least one open incident (also counted in `active`). */
  withIncidents: number;
  completed: number;
  canceled: number;
  terminated: number;
}

const SQL = `
  SELECT d.key, d.process_id, d.version, d.name, d.created_at,
         count(pi.id) FILTER (WHERE pi.status = 'ACTIVE')::int AS active,
         count(pi.id) FILTER (WHERE pi.status = 'ACTIVE' AND oi.process_instance_id IS NOT NULL)::int AS with_incidents,
         count(pi.id) FILTER (WHERE pi.status = 'COMPLETED')::int AS completed,
         count(pi.id) FILTER (WHERE pi.status = 'CANCELED')::int AS canceled,
         count(pi.id) FILTER (WHERE pi.status = 'TERMINATED')::int AS terminated
    FROM process_definitions d
    LEFT JOIN process_instances pi ON pi.definition_key = d.key
    LEFT JOIN (SELECT DISTINCT process_instance_id FROM incidents WHERE state = 'OPEN') oi ON oi.process_instance_id = pi.id
   GROUP BY d.key
   ORDER BY d.process_id, d.version DESC`;

export async function definitionStatistics(db: Knex): Promise<DefinitionStatistics[]> {
  const { rows } = await db.raw(SQL);
  return rows.map((r: Record<string, any>) => ({
    key: r.key,
    processId: r.process_id,
    version: r.version,
    name: r.name ?? null,
    createdAt: new Date(r.created_at).toISOString(),
    active: r.active,
    withIncidents: r.with_incidents,
    completed: r.completed,
    canceled: r.canceled,
    terminated: r.terminated,
  }));
}
