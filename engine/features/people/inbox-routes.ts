/**
 * What the inbox page needs beyond /api/tasks: GET /api/forms/:formId (the
 * latest version); GET /api/inbox/tasks — one tab's cards (inbox-cards.ts)
 * with both tabs' counts; GET /api/inbox/completed — the tasks the caller
 * completed, newest first; and GET /api/inbox/tasks/:id — the task with its
 * process definition key (for the diagram), its form and its instance's
 * recent history.
 */
import { EVERYONE } from '../../api/access.js';
import { routes, type ApiRoute } from '../../api/api-routes.js';
import type { Knex } from 'knex';
import { z } from 'zod';
import { actorOf, isAdmin } from '../../api/auth.js';
import { listTasksQuery, pathId } from '../../api/schemas.js';
import { queryOf } from '../../api/route-input.js';
import { maySee, taskListQuery } from '../../api/task-routes.js';
import { WeftError } from '../../errors.js';
import type { EngineApi } from '../../service/types.js';
import type { FormRepository } from './form-repository.js';
import { InboxCards } from './inbox-cards.js';

const HISTORY = 25;

/** A tab of the inbox: the task list's filters, for one scope, open tasks unless asked otherwise. */
export const cardsQuery = taskListQuery.extend({
  scope: z.enum(['mine', 'claimable']).default('mine'),
  state: listTasksQuery.shape.state.default('CREATED'),
});
const completedQuery = listTasksQuery.pick({ limit: true, offset: true });
const param = (value: string | string[]) => (Array.isArray(value) ? value[0] : value);

export function formRoutes(forms: FormRepository): ApiRoute[] {
  // Everyone: a task's form is what its assignee fills in.
  return routes('/forms', (router) => {
    router.get('/:formId', { access: EVERYONE, summary: 'The latest version of a deployed form' }, async (req, res) => {
      res.json(await forms.get(param(req.params.formId)));
    });
  });
}

export function inboxRoutes(db: Knex, engine: EngineApi, forms: FormRepository): ApiRoute[] {
  const cards = new InboxCards(db);
  // Everyone: each sees only their own tasks (visibility is in the query), and only their own completions.
  return routes('/inbox', (router) => {
    router.get('/tasks', { access: EVERYONE, summary: "One inbox tab's cards (the caller's tasks, or those offered to them) with both tabs' counts", query: cardsQuery }, async (req, res) => {
      res.json(await cards.list(actorOf(res), queryOf(res, cardsQuery)));
    });
    router.get('/completed', { access: EVERYONE, summary: 'The tasks the caller completed, newest first', query: completedQuery }, async (req, res) => {
      res.json(await cards.completed(actorOf(res), queryOf(res, completedQuery)));
    });
    router.get('/tasks/:id', { access: EVERYONE, summary: "A task as the inbox shows it: the task, its form and the instance's recent history" }, async (req, res) => {
      const actor = actorOf(res);
      const task = await engine.getTask(pathId(req.params.id, 'TASK_NOT_FOUND', 'Task'));
      if (!maySee(actor, task)) throw new WeftError('FORBIDDEN', `Task ${task.id} is not yours: it is neither assigned nor offered to you`);
      const instance = await db('process_instances as pi')
        .leftJoin('process_definitions as pd', 'pd.key', 'pi.definition_key')
        .where('pi.id', task.processInstanceId)
        .first('pi.definition_key', 'pd.name as process_name');
      const form = task.formId ? await forms.latest(task.formId) : null;
      const audit = await db('audit').where({ process_instance_id: task.processInstanceId }).orderBy('id', 'desc').limit(HISTORY);
      res.json({
        task,
        definitionKey: instance?.definition_key ?? null,
        processName: instance?.process_name ?? null,
        form: form ? { formId: form.formId, version: form.version, schema: form.schema } : null,
        // Payloads may hold other people's data: only admins get them.
        history: audit.map((a) => ({
          at: new Date(a.at).toISOString(),
          actor: a.actor,
          type: a.type,
          elementId: a.element_id,
          ...(isAdmin(actor) ? { payload: a.payload } : {}),
        })),
      });
    });
  });
}
