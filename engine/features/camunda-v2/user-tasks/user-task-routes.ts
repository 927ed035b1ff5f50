/**
 * /v2/user-tasks under Weft's task rules, not Tasklist's: every route is
 * the callers' of its /api/tasks route (everyone), and then the task must be
 * theirs as /api decides it (task-routes.ts `taskActions`): a search lists
 * only what the caller may see; a get, assignment, unassignment, completion,
 * form or variables of a task assigned or offered to someone else is 403
 * and changes nothing; a non-admin assigns only to themselves and completes
 * only what they claimed; every completion passes the features' checks
 * (a form's fields). Actions answer 204, as Camunda's do.
 */
import type express from 'express';
import type { Response } from 'express';
import { actorOf } from '../../../api/auth.js';
import { parseBody } from '../../../api/schemas.js';
import type { TaskAccess, taskActions } from '../../../api/task-routes.js';
import { WeftError } from '../../../errors.js';
import type { PartDeps } from '../deployment-routes.js';
import { applyString } from '../filters.js';
import { idOf, keyOf } from '../keys.js';
import { DEFAULT_TENANT, searchResult, window } from '../search.js';
import { allow } from '../v2-access.js';
import { allVariables, searchVariables } from '../variables/variable-query.js';
import { variableSearchQuery } from '../variables/variable-schemas.js';
import { filteredTasks, searchTasks, taskRow, userTaskResults } from './user-task-query.js';
import { assignmentBody, completionBody, taskVariableSearchBody, unassignBody, userTaskSearchBody } from './user-task-schemas.js';

export interface UserTaskDeps extends PartDeps {
  tasks: ReturnType<typeof taskActions>;
  /** Unassigning needs the people feature's task access, as POST /api/tasks/:id/unclaim does. */
  taskAccess?: TaskAccess;
}

export function userTaskPart(deps: UserTaskDeps) {
  const { db, engine, tasks } = deps;
  const everyone = (route: 'GET /tasks' | 'GET /tasks/:id' | 'POST /tasks/:id/claim' | 'POST /tasks/:id/unclaim' | 'POST /tasks/:id/complete') => allow(deps.access(route), route);

  /** The Weft task behind a key, when the caller may see it: 404 for no such key, 403 for someone else's task. */
  async function visibleTaskId(key: unknown, res: Response): Promise<string> {
    const id = await idOf(db, 'user-task', String(key));
    if (!id) throw new WeftError('TASK_NOT_FOUND', `User task with key '${String(key)}' not found`);
    await tasks.visibleTask(id, actorOf(res));
    return id;
  }

  return (router: express.Router) => {
    router.post('/user-tasks/search', everyone('GET /tasks'), async (req, res) => {
      const body = parseBody(userTaskSearchBody, req.body);
      const { offset, limit } = window(body?.page);
      const found = await filteredTasks(db, actorOf(res), body?.filter ?? {});
      if (!found) return void res.json(searchResult([], 0, offset));
      const { items, total } = await searchTasks(db, found.q, body?.sort ?? [], offset, limit);
      res.json(searchResult(items, total, offset));
    });

    router.get('/user-tasks/:userTaskKey', everyone('GET /tasks/:id'), async (req, res) => {
      const row = await taskRow(db, await visibleTaskId(req.params.userTaskKey, res));
      res.json((await userTaskResults(db, [row!]))[0]);
    });

    router.post('/user-tasks/:userTaskKey/assignment', everyone('POST /tasks/:id/claim'), async (req, res) => {
      const id = await visibleTaskId(req.params.userTaskKey, res);
      const { assignee, allowOverride } = parseBody(assignmentBody, req.body);
      await tasks.claim(id, actorOf(res), assignee, { override: allowOverride !== false });
      res.status(204).end();
    });

    router.delete('/user-tasks/:userTaskKey/assignee', everyone('POST /tasks/:id/unclaim'), async (req, res) => {
      const id = await visibleTaskId(req.params.userTaskKey, res);
      parseBody(unassignBody, req.body);
      if (!deps.taskAccess) throw new WeftError('NOT_FOUND', 'Unassigning needs the people feature');
      await deps.taskAccess.unclaim(id, actorOf(res));
      res.status(204).end();
    });

    router.post('/user-tasks/:userTaskKey/completion', everyone('POST /tasks/:id/complete'), async (req, res) => {
      const id = await idOf(db, 'user-task', String(req.params.userTaskKey));
      if (!id) throw new WeftError('TASK_NOT_FOUND', `User task with key '${req.params.userTaskKey}' not found`);
      const body = parseBody(completionBody, req.body);
      await tasks.complete(id, actorOf(res), body?.variables ?? {});
      res.status(204).end();
    });

    router.get('/user-tasks/:userTaskKey/form', everyone('GET /tasks/:id'), async (req, res) => {
      const task = await engine.getTask(await visibleTaskId(req.params.userTaskKey, res));
      const form = task.formId ? await db('forms').where({ form_id: task.formId }).orderBy('version', 'desc').first('key', 'form_id', 'version', 'schema') : undefined;
      // Camunda answers a task without a linked form with 204.
      if (!form) return void res.status(204).end();
      res.json({ tenantId: DEFAULT_TENANT, formId: form.form_id, schema: JSON.stringify(form.schema), version: form.version, formKey: await keyOf(db, 'form', form.key) });
    });

    router.post('/user-tasks/:userTaskKey/variables/search', everyone('GET /tasks/:id'), async (req, res) => {
      const task = await engine.getTask(await visibleTaskId(req.params.userTaskKey, res));
      const { truncateValues } = variableSearchQuery.parse(req.query);
      const body = parseBody(taskVariableSearchBody, req.body);
      const { offset, limit } = window(body?.page);
      // The task's own scope, as Camunda's: its element instance (local variables from input mappings, while it waits).
      const elementKey = (await db('tasks').where({ id: task.id }).first('element_instance_key')).element_instance_key;
      const q = allVariables(db).where({ 'e.instance_id': task.processInstanceId, 'e.key': elementKey });
      applyString(q, 'v.key', body?.filter?.name);
      const { items, total } = await searchVariables(db, q, body?.sort ?? [], offset, limit, truncateValues !== 'false');
      res.json(searchResult(items, total, offset));
    });
  };
}
