/**
 * A page of a filtered list of tasks and the list's total, in one statement
 * that reads the matching tasks once: a CTE of their ids and sort keys (the
 * filter's one scan), the total counted and the page's ids taken in order
 * from it, and only the page's rows read whole. A count and a page as two
 * statements read every matching task twice: for one group's 10,000 tasks
 * among 1,000,000 that was about 9,600 heap pages and 20 ms each
 * (`npm run bench:memory`). Shared by GET /api/tasks (Queries.listTasks,
 * the people feature's TaskAccess) and the inbox's cards.
 */
import type { Knex } from 'knex';

/** Every column an order below may name. */
const SORT_KEYS = ['id', 'priority', 'due_date', 'created_at'];

export interface TaskPageQuery {
  /** Narrows `tasks` (knex's `modify`); it may name any column. */
  filter: (b: Knex.QueryBuilder) => void;
  /** SQL over SORT_KEYS, ending in `id` so the order is total, e.g. `priority DESC, created_at, id`. */
  order: string;
  /** Columns of `tasks` to read for the page's rows ('*' for all). */
  columns: string[] | '*';
  limit: number;
  offset: number;
}

export async function taskPage(db: Knex, q: TaskPageQuery): Promise<{ rows: Record<string, any>[]; total: number }> {
  const matching = db('tasks').modify(q.filter).select(SORT_KEYS);
  const page = db.from('matching').select('id').orderByRaw(q.order).limit(q.limit).offset(q.offset);
  const found: Record<string, any>[] = await db
    .with('matching', matching)
    .with('page', page)
    .from('page')
    .joinRaw('JOIN tasks USING (id)')
    .select(...(q.columns === '*' ? ['tasks.*'] : q.columns), db.raw('(SELECT count(*) FROM matching) AS weft_total'))
    .orderByRaw(q.order);
  if (found.length > 0) {
    const total = Number(found[0].weft_total);
    return { rows: found.map(({ weft_total: _, ...row }) => row), total };
  }
  // An empty page says nothing of the total, unless it is the first.
  if (q.offset === 0) return { rows: [], total: 0 };
  const [{ count }] = await db('tasks').modify(q.filter).count({ count: '*' });
  return { rows: [], total: Number(count) };
}
