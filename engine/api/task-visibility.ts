/**
 * Which tasks an actor may see, as SQL over `tasks`: the same rule as
 * `maySee` (task-routes.ts) — admins every task; anyone else a task assigned
 * to them, or unassigned and offered to them as a candidate user or to one
 * of their groups — so an edge that lists tasks in the database (the inbox,
 * /v2/user-tasks/search) filters before paging and never shows a task the
 * task API would refuse.
 */
import type { Knex } from 'knex';
import { isAdmin, type Actor } from './auth.js';
import { userName } from './task-routes.js';

/** Unassigned and offered to the actor (for an admin: every unassigned task). */
export function offeredTo(actor: Actor): (q: Knex.QueryBuilder) => void {
  const me = userName(actor);
  const groups = actor.groups ?? [];
  return (q) =>
    q.whereNull('assignee').andWhere((o) => {
      if (isAdmin(actor)) return;
      // Containment, not `? = ANY(…)`: each side is answered by its GIN index and the planner ORs the two (20261215000200).
      o.whereRaw('candidate_users @> ARRAY[?]::text[]', [me]).orWhereRaw('candidate_groups && ?::text[]', [groups]);
    });
}

/** Every task the actor may see. */
export function visibleTo(actor: Actor): (q: Knex.QueryBuilder) => void {
  const me = userName(actor);
  return (q) => {
    if (isAdmin(actor)) return;
    q.where((w) => w.where({ assignee: me }).orWhere(offeredTo(actor)));
  };
}
