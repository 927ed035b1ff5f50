/** /api/tasks: user tasks — list, inspect, claim, complete. */
import { Router } from 'express';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { claimTaskBody, completeBody, listTasksQuery, parseBody, pathId } from './schemas.js';

export function taskRoutes(engine: EngineApi): Router {
  const router = Router();
  const taskId = (id: string | string[]) => pathId(id, 'TASK_NOT_FOUND', 'Task');

  router.get('/', async (req, res) => {
    res.json(await engine.listTasks(listTasksQuery.parse(req.query)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await engine.getTask(taskId(req.params.id)));
  });
  router.post('/:id/claim', async (req, res) => {
    const id = taskId(req.params.id);
    const { assignee } = parseBody(claimTaskBody, req.body);
    res.json(await engine.claimTask(id, assignee, actorOf(res).id));
  });
  router.post('/:id/complete', async (req, res) => {
    const id = taskId(req.params.id);
    const { variables } = parseBody(completeBody, req.body);
    const { duplicate } = await engine.completeTask(id, variables ?? {}, actorOf(res).id);
    res.json({ ok: true, duplicate });
  });
  return router;
}
