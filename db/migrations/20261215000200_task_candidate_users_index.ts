import type { Knex } from 'knex';

/**
 * Who a task is offered to, answered from indexes. The inbox lists a
 * person's claimable tasks as "unassigned, and a candidate user is me or a
 * candidate group is one of mine" (engine/api/task-visibility.ts). Only
 * `candidate_groups` had a GIN index (the core schema), and the user's side
 * was written `? = ANY(candidate_users)`, which no index can serve: the OR
 * of the two made every inbox listing and count a sequential scan of
 * `tasks` (`npm run bench:memory`, issue #13). With this index, and the
 * tests written as array containment (`candidate_users @> ARRAY[me]`,
 * `candidate_groups && my_groups`), the planner ORs two GIN bitmaps.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX tasks_candidate_users_idx ON tasks USING gin (candidate_users)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS tasks_candidate_users_idx');
}
