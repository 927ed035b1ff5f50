/**
 * The inbox's filters as SQL over `tasks`, shared by GET /api/tasks (the
 * people feature's TaskAccess) and the inbox's cards, so both find the same
 * tasks. Visibility comes first (task-visibility.ts): a filter only ever
 * narrows what the actor may see.
 *
 * Search is one parameterised ILIKE over `search_text` (the task's name,
 * element and process ids and its card variables' values, trigram-indexed),
 * or the task's process having a name that matches: process names are looked
 * up first in the small process_definitions table, so the tasks query stays
 * one indexed OR.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../api/auth.js';
import { userName, type TaskListQuery } from '../../api/task-routes.js';
import { offeredTo, visibleTo } from '../../api/task-visibility.js';

export type TaskFilter = Omit<TaskListQuery, 'sort' | 'limit' | 'offset'>;

/** `%text%` for ILIKE, with the pattern's own characters taken literally. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The filter as a function for knex's `modify`; async because a search first reads the matching process ids. */
export async function taskFilter(db: Knex, actor: Actor, q: TaskFilter): Promise<(b: Knex.QueryBuilder) => void> {
  const like = q.search ? containing(q.search) : null;
  const namedProcesses = like ? ((await db('process_definitions').whereILike('name', like).distinct('process_id').pluck('process_id')) as string[]) : [];
  return (b) => {
    if (q.scope === 'mine') b.where({ assignee: userName(actor) });
    else if (q.scope === 'claimable') b.where(offeredTo(actor));
    else visibleTo(actor)(b);
    if (q.assignee) b.where({ assignee: q.assignee });
    if (q.candidateGroup) b.whereRaw('candidate_groups @> ARRAY[?]::text[]', [q.candidateGroup]);
    if (q.state) b.where({ state: q.state });
    if (q.processInstanceId) b.where({ process_instance_id: q.processInstanceId });
    if (q.processId) b.where({ process_id: q.processId });
    if (q.minPriority !== undefined) b.where('priority', '>=', q.minPriority);
    if (q.dueBefore) b.where('due_date', '<=', q.dueBefore);
    if (q.overdue === true) b.where('due_date', '<', db.fn.now());
    if (like) {
      b.where((s) => {
        s.whereILike('search_text', like);
        if (namedProcesses.length > 0) s.orWhereIn('process_id', namedProcesses);
      });
    }
  };
}
