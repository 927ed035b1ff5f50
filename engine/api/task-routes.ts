/**
 * /api/tasks: user tasks — list, inspect, claim, unclaim, complete — and who
 * may do which.
 *
 * Admins see and act on every task. Anyone else sees a task only when it is
 * assigned to them, or unassigned and they are one of its candidate users or
 * in one of its candidate groups; they claim for themselves only, complete only
 * what they claimed, unclaim only their own. Anything else is 403 and changes
 * nothing. The engine records each action with the actor's id (`user:<name>`).
 */
import { EVERYONE } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import { z } from 'zod';
import { WeftError } from '../errors.js';
import type { Variables } from '../runtime/types.js';
import type { EngineApi, Page, TaskView } from '../service/types.js';
import { actorOf, apiEdge, isAdmin, type Actor } from './auth.js';
import { bodyOf } from './route-input.js';
import { completeBody, listTasksQuery, pathId, taskParams } from './schemas.js';

/** The inbox's filters beyond the core ones. */
export const taskListQuery = listTasksQuery.extend({
  /** `mine`: assigned to me; `claimable`: unassigned and offered to me; `all` (default): both. */
  scope: z.enum(['mine', 'claimable', 'all']).default('all'),
  processId: z.string().trim().min(1).max(255).optional(),
  minPriority: z.coerce.number().int().min(0).max(100).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  search: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['priority', 'due', 'created']).default('priority'),
});
export type TaskListQuery = z.output<typeof taskListQuery>;

const INBOX_PARAMS = ['scope', 'processId', 'minPriority', 'dueBefore', 'overdue', 'search', 'sort'];

const claimBody = z.object({ assignee: z.string().trim().min(1, 'must not be empty').max(255).optional() });

/** Task rules that need data the engine API does not offer (a feature provides them). */
export interface TaskAccess {
  /** The tasks this actor may see (every task for admins), filtered and sorted. */
  list(actor: Actor, query: TaskListQuery): Promise<Page<TaskView>>;
  /** Makes a claimed, open task unassigned again (audited as TASK_UNCLAIMED). */
  unclaim(id: string, actor: Actor): Promise<TaskView>;
}

/**
 * A feature's rule for completing an open task (a form's fields, an agent
 * review's decision): throws a WeftError (422 with per-field details) to
 * refuse, and returns for any task it has nothing to say about. Every
 * completion over the API passes all of them.
 */
export type TaskCompletionCheck = (task: TaskView, variables: Variables) => Promise<void>;

/** The name tasks are assigned by: the user's name (`alice` for actor `user:alice`). */
export const userName = (actor: Actor) => actor.user ?? actor.id.replace(/^user:/, '');

/** May this actor see the task (and so claim it when unassigned, or work it when it is theirs)? */
export function maySee(actor: Actor, task: Pick<TaskView, 'assignee' | 'candidateUsers' | 'candidateGroups'>): boolean {
  if (isAdmin(actor)) return true;
  const me = userName(actor);
  if (task.assignee) return task.assignee === me;
  return task.candidateUsers.includes(me) || task.candidateGroups.some((g) => (actor.groups ?? []).includes(g));
}

const forbidden = (id: string) => new WeftError('FORBIDDEN', `Task ${id} is not yours: it is neither assigned nor offered to you`);

/**
 * The task API's rules as functions, so every edge that lists or completes
 * tasks (the routes below, the MCP endpoint) applies exactly the same ones.
 */
export function taskActions(engine: EngineApi, completionChecks: TaskCompletionCheck[] = []) {
  /** The task, when the actor may see it; 403 otherwise (404 when there is none). */
  async function visibleTask(id: string, actor: Actor): Promise<TaskView> {
    const task = await engine.getTask(id);
    if (!maySee(actor, task)) throw forbidden(id);
    return task;
  }

  /** GET /api/tasks: `query` is the raw query (strings or numbers); inbox filters go to the feature's TaskAccess. */
  async function list(actor: Actor, access: TaskAccess | undefined, query: Record<string, unknown>): Promise<Page<TaskView>> {
    const parsed = taskListQuery.parse(query);
    const inboxQuery = INBOX_PARAMS.some((p) => p in query);
    if (isAdmin(actor) && !(inboxQuery && access)) return engine.listTasks(listTasksQuery.parse(query));
    if (access) return access.list(actor, parsed);
    // Without a feature that can filter in the database, filter the page (it may come back short).
    const page = await engine.listTasks(listTasksQuery.parse(query));
    const items = page.items.filter((t) => maySee(actor, t));
    return { ...page, items, total: items.length };
  }

  /**
   * POST /api/tasks/:id/claim: admins claim for anyone; others for themselves, and only what they may see.
   * `override` reassigns a task claimed by someone else; only an admin can reach such a task.
   */
  async function claim(id: string, actor: Actor, assignee: string | undefined, options: { override?: boolean } = {}): Promise<TaskView> {
    if (!assignee) throw new WeftError('BAD_REQUEST', 'Invalid request', [{ path: 'assignee', message: 'Required' }]);
    if (!isAdmin(actor)) {
      if (assignee !== userName(actor)) throw new WeftError('FORBIDDEN', 'You can claim tasks for yourself only');
      await visibleTask(id, actor);
    }
    return options.override ? engine.claimTask(id, assignee, actor.id, { override: true }) : engine.claimTask(id, assignee, actor.id);
  }

  /** POST /api/tasks/:id/complete: only what the actor may see, claimed first unless admin, past every completion check. */
  async function complete(id: string, actor: Actor, variables: Variables): Promise<{ ok: true; duplicate: boolean }> {
    const task = await visibleTask(id, actor);
    if (!isAdmin(actor) && task.state === 'CREATED' && task.assignee !== userName(actor)) {
      throw new WeftError('FORBIDDEN', `Claim task ${id} before completing it`);
    }
    if (task.state === 'CREATED') {
      for (const check of completionChecks) await check(task, variables);
    }
    const { duplicate } = isAdmin(actor)
      ? await engine.completeTask(id, variables, actor.id)
      : await engine.completeTask(id, variables, actor.id, { assignee: userName(actor) });
    return { ok: true, duplicate };
  }

  return { visibleTask, list, claim, complete };
}

export function taskRoutes(engine: EngineApi, completionChecks: TaskCompletionCheck[] = []): ApiRoute[] {
  const taskId = (id: string | string[]) => pathId(id, 'TASK_NOT_FOUND', 'Task');
  const { visibleTask, list, claim, complete } = taskActions(engine, completionChecks);

  // Everyone at the route; which task is whose is decided per task below.
  return routes('/tasks', (router) => {
    // The declared schema has checked the query; list() (shared with the MCP tools) reads which inbox filters were given from the raw one.
    router.get('/', { access: EVERYONE, summary: 'List the user tasks the caller may see (admins: all)', query: taskListQuery }, async (req, res) => {
      res.json(await list(actorOf(res), apiEdge(res)?.tasks, req.query as Record<string, unknown>));
    });

    router.get('/:id', { access: EVERYONE, summary: 'A user task the caller may see', params: taskParams }, async (req, res) => {
      res.json(await visibleTask(taskId(req.params.id), actorOf(res)));
    });

    router.post('/:id/claim', { access: EVERYONE, summary: 'Claim a task (for oneself; admins for anyone)', params: taskParams, body: claimBody }, async (req, res) => {
      const id = taskId(req.params.id);
      const actor = actorOf(res);
      const { assignee = actor.user } = bodyOf(res, claimBody);
      res.json(await claim(id, actor, assignee));
    });

    router.post('/:id/unclaim', { access: EVERYONE, summary: 'Give a claimed task back', params: taskParams }, async (req, res) => {
      const id = taskId(req.params.id);
      const actor = actorOf(res);
      const access = apiEdge(res)?.tasks;
      if (!access) throw new WeftError('NOT_FOUND', 'Unclaiming needs the people feature');
      const task = await visibleTask(id, actor);
      if (!isAdmin(actor) && task.assignee !== userName(actor)) throw new WeftError('FORBIDDEN', `Task ${id} is not claimed by you`);
      res.json(await access.unclaim(id, actor));
    });

    router.post('/:id/complete', { access: EVERYONE, summary: 'Complete a claimed task with variables (a form\'s values)', params: taskParams, body: completeBody }, async (req, res) => {
      const id = taskId(req.params.id);
      const { variables = {} } = bodyOf(res, completeBody);
      res.json(await complete(id, actorOf(res), variables));
    });
  });
}
