/**
 * The task rules that need Postgres (see TaskAccess in engine/api/task-routes.ts):
 * the inbox's list with visibility in SQL, unclaim, and form validation on
 * completion.
 */
import type { Knex } from 'knex';
import { isAdmin, type Actor } from '../../api/auth.js';
import { userName, type TaskAccess, type TaskListQuery } from '../../api/task-routes.js';
import { WeftError } from '../../errors.js';
import type { Page, TaskView } from '../../service/types.js';
import type { FormRepository } from './form-repository.js';
import { validateFormData } from './form-validation.js';
import { taskFilter } from './task-filters.js';
import { taskView } from '../../persistence/queries.js';
import { taskPage } from '../../persistence/task-page.js';

/** id breaks ties, so paging is stable. */
export const ORDER: Record<TaskListQuery['sort'], string> = {
  priority: 'priority DESC, created_at, id',
  due: 'due_date ASC NULLS LAST, priority DESC, created_at, id',
  created: 'created_at DESC, id DESC',
};

export class PeopleTaskAccess implements TaskAccess {
  constructor(
    private readonly db: Knex,
    private readonly forms: FormRepository,
  ) {}

  async list(actor: Actor, q: TaskListQuery): Promise<Page<TaskView>> {
    const { rows, total } = await taskPage(this.db, { filter: await taskFilter(this.db, actor, q), order: ORDER[q.sort], columns: '*', limit: q.limit, offset: q.offset });
    return { items: rows.map(taskView), total, limit: q.limit, offset: q.offset };
  }

  async unclaim(id: string, actor: Actor): Promise<TaskView> {
    await this.db.transaction(async (trx) => {
      const task = await trx('tasks').where({ id }).forUpdate().first('state', 'assignee', 'process_instance_id', 'element_id', 'element_instance_key');
      if (!task) throw new WeftError('TASK_NOT_FOUND', `No task with id ${id}`);
      if (task.state !== 'CREATED') throw new WeftError('TASK_NOT_ACTIVE', `Task ${id} is ${task.state}`);
      // Checked again under the lock: the route's check may predate a reassignment.
      if (!isAdmin(actor) && task.assignee !== userName(actor)) throw new WeftError('FORBIDDEN', `Task ${id} is not claimed by you`);
      if (task.assignee === null) return;
      await trx('tasks').where({ id }).update({ assignee: null });
      await trx('audit').insert({
        process_instance_id: task.process_instance_id,
        actor: actor.id,
        type: 'TASK_UNCLAIMED',
        element_id: task.element_id,
        element_instance_key: task.element_instance_key,
        payload: JSON.stringify({ taskId: id, previousAssignee: task.assignee }),
      });
    });
    const row = await this.db('tasks').where({ id }).first();
    return taskView(row);
  }

  /** Throws a 422 with per-field details when the variables break the task's form's rules (the people feature's TaskCompletionCheck). */
  async checkCompletion(task: TaskView, variables: Record<string, unknown>): Promise<void> {
    if (!task.formId) return;
    // A formId with no deployed form is not validated (tasks may name forms that live elsewhere).
    const form = await this.forms.latest(task.formId);
    if (!form) return;
    const problems = validateFormData(form.schema, { ...task.variables, ...variables });
    if (problems.length > 0) {
      const fields = [...new Set(problems.map((p) => p.path))].join(', ');
      throw new WeftError('VARIABLES_INVALID', `The form ${form.formId} does not accept: ${fields}`, problems);
    }
  }
}

export { taskView };
