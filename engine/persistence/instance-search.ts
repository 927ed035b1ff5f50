/**
 * The instance search behind GET /api/process-instances: filters, a sort
 * from a fixed list of fields, and a page. Pure query building over knex;
 * the request is validated before it gets here (api/schemas.ts).
 */
import type { Knex } from 'knex';
import type { InstanceStatus } from '../runtime/types.js';

/** The fields a list may be sorted by, and the column each stands for. Anything else is refused at the edge. */
export const INSTANCE_SORT_FIELDS = {
  createdAt: 'created_at',
  endedAt: 'ended_at',
  processId: 'process_id',
  version: 'version',
  state: 'status',
  businessKey: 'business_key',
} as const;
export type InstanceSortField = keyof typeof INSTANCE_SORT_FIELDS;

export interface InstanceSearch {
  processId?: string;
  version?: number;
  state?: InstanceStatus;
  /** true: only instances with an open incident; false: only those without. */
  hasIncident?: boolean;
  businessKey?: string;
  /** An instance one of whose scopes holds a variable of this name whose value equals `value` (JSON equality). */
  variable?: { name: string; value: unknown };
  startedAfter?: Date;
  startedBefore?: Date;
  endedAfter?: Date;
  endedBefore?: Date;
  sortBy?: InstanceSortField;
  sortOrder?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const OPEN_INCIDENT = "SELECT 1 FROM incidents i WHERE i.process_instance_id = pi.id AND i.state = 'OPEN'";

/** The filtered instances (`pi`), not yet sorted or paged: counted and listed from the same builder. */
export function filteredInstances(db: Knex, search: InstanceSearch): Knex.QueryBuilder {
  return db({ pi: 'process_instances' }).modify((q) => {
    if (search.processId) q.where('pi.process_id', search.processId);
    if (search.version !== undefined) q.where('pi.version', search.version);
    if (search.state) q.where('pi.status', search.state);
    if (search.businessKey) q.where('pi.business_key', search.businessKey);
    if (search.startedAfter) q.where('pi.created_at', '>=', search.startedAfter);
    if (search.startedBefore) q.where('pi.created_at', '<', search.startedBefore);
    if (search.endedAfter) q.where('pi.ended_at', '>=', search.endedAfter);
    if (search.endedBefore) q.where('pi.ended_at', '<', search.endedBefore);
    if (search.hasIncident === true) q.whereRaw(`EXISTS (${OPEN_INCIDENT})`);
    if (search.hasIncident === false) q.whereRaw(`NOT EXISTS (${OPEN_INCIDENT})`);
    if (search.variable) {
      const value = JSON.stringify(search.variable.value);
      // Containment finds candidates through the GIN index; the equality makes `{"a":1}` not match `{"a":1,"b":2}`.
      q.whereRaw(
        `EXISTS (SELECT 1 FROM instance_entries e WHERE e.instance_id = pi.id AND e.kind = 'element'
           AND e.value->'variables' @> jsonb_build_object(?::text, ?::jsonb) AND e.value->'variables'->? = ?::jsonb)`,
        [search.variable.name, value, search.variable.name, value],
      );
    }
  });
}

/** The page of rows: summary columns and the number of open incidents of each. */
export function instancePage(db: Knex, search: InstanceSearch): Knex.QueryBuilder {
  const column = INSTANCE_SORT_FIELDS[search.sortBy ?? 'createdAt'];
  const order = search.sortOrder ?? 'desc';
  return filteredInstances(db, search)
    .select('pi.id', 'pi.process_id', 'pi.version', 'pi.status', 'pi.business_key', 'pi.created_at', 'pi.ended_at', 'pi.parent_instance_id')
    .select(db.raw(`(SELECT count(*) FROM incidents i WHERE i.process_instance_id = pi.id AND i.state = 'OPEN')::int AS open_incidents`))
    // Nulls (no end yet, no business key) last whichever way; id breaks ties so rows never move between pages.
    .orderByRaw(`pi.${column} ${order} NULLS LAST, pi.id ${order}`)
    .limit(search.limit)
    .offset(search.offset);
}
