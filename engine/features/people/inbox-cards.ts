/**
 * The inbox's task cards: what the list shows of each task — its name, its
 * process's name (the deployed definition's, falling back to the id), when it
 * was created, and only the variables the process chose for cards
 * (card-variables.ts) — with the counts of both tabs, and the tasks the
 * caller completed. Never a task's other variables: those come with the task
 * itself (GET /api/inbox/tasks/:id), to those who may open it.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../api/auth.js';
import type { TaskListQuery } from '../../api/task-routes.js';
import { cardFields, type CardField } from './card-variables.js';
import { taskFilter } from './task-filters.js';
import { ORDER } from './task-access.js';
import { taskPage } from '../../persistence/task-page.js';

export interface TaskCard {
  id: string;
  processInstanceId: string;
  processId: string;
  /** The name of the instance's process definition; null when it has none (show processId). */
  processName: string | null;
  elementId: string;
  name: string | null;
  state: string;
  assignee: string | null;
  priority: number;
  dueDate: string | null;
  createdAt: string;
  completedAt: string | null;
  fields: CardField[];
}

export interface CardPage {
  items: TaskCard[];
  total: number;
  limit: number;
  offset: number;
}

const CARD_COLUMNS = ['id', 'process_instance_id', 'process_id', 'element_id', 'name', 'state', 'assignee', 'priority', 'due_date', 'created_at', 'completed_at', 'headers', 'variables'];
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export class InboxCards {
  constructor(private readonly db: Knex) {}

  /** One tab's page of cards, and how many tasks each tab holds under the same filters. */
  async list(actor: Actor, q: TaskListQuery & { scope: 'mine' | 'claimable' }): Promise<CardPage & { counts: { mine: number; claimable: number } }> {
    // The page's total is its own tab's count: only the other tab is counted again.
    const other = q.scope === 'mine' ? 'claimable' : 'mine';
    const [page, otherCount] = await Promise.all([this.page(actor, q), this.count(actor, { ...q, scope: other })]);
    const counts = q.scope === 'mine' ? { mine: page.total, claimable: otherCount } : { mine: otherCount, claimable: page.total };
    return { ...page, counts };
  }

  /** Tasks the actor completed themselves, newest first. */
  async completed(actor: Actor, page: { limit: number; offset: number }): Promise<CardPage> {
    const base = this.db('tasks').where({ state: 'COMPLETED', completed_by: actor.id });
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows = await base.clone().select(CARD_COLUMNS).orderBy([{ column: 'completed_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(page.limit).offset(page.offset);
    return { items: await this.cards(rows), total: Number(count), ...page };
  }

  private async page(actor: Actor, q: TaskListQuery): Promise<CardPage> {
    const { rows, total } = await taskPage(this.db, { filter: await taskFilter(this.db, actor, q), order: ORDER[q.sort], columns: CARD_COLUMNS, limit: q.limit, offset: q.offset });
    return { items: await this.cards(rows), total, limit: q.limit, offset: q.offset };
  }

  private async count(actor: Actor, q: TaskListQuery): Promise<number> {
    const [{ count }] = await this.db('tasks').modify(await taskFilter(this.db, actor, q)).count({ count: '*' });
    return Number(count);
  }

  /** The rows as cards, with their processes' names read in one query. */
  private async cards(rows: Record<string, any>[]): Promise<TaskCard[]> {
    const instanceIds = [...new Set(rows.map((r) => r.process_instance_id))];
    const names = new Map<string, string | null>();
    if (instanceIds.length > 0) {
      const found = await this.db('process_instances as pi')
        .join('process_definitions as pd', 'pd.key', 'pi.definition_key')
        .whereIn('pi.id', instanceIds)
        .select('pi.id', 'pd.name');
      for (const f of found) names.set(f.id, f.name);
    }
    return rows.map((r) => ({
      id: r.id,
      processInstanceId: r.process_instance_id,
      processId: r.process_id,
      processName: names.get(r.process_instance_id) ?? null,
      elementId: r.element_id,
      name: r.name,
      state: r.state,
      assignee: r.assignee,
      priority: r.priority,
      dueDate: iso(r.due_date),
      createdAt: iso(r.created_at)!,
      completedAt: iso(r.completed_at),
      fields: cardFields(r.headers, r.variables),
    }));
  }
}
