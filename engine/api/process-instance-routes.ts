/** /api/process-instances: start, list, inspect, cancel, audit trail. */
import { Router } from 'express';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { listInstancesQuery, parseBody, pathId, startInstanceBody } from './schemas.js';

export function processInstanceRoutes(engine: EngineApi): Router {
  const router = Router();
  const instanceId = (id: string | string[]) => pathId(id, 'INSTANCE_NOT_FOUND', 'Process instance');

  router.post('/', async (req, res) => {
    const body = parseBody(startInstanceBody, req.body);
    res.status(201).json(await engine.startInstance(body, actorOf(res).id));
  });
  router.get('/', async (req, res) => {
    res.json(await engine.listInstances(listInstancesQuery.parse(req.query)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await engine.getInstance(instanceId(req.params.id)));
  });
  router.post('/:id/cancel', async (req, res) => {
    res.json(await engine.cancelInstance(instanceId(req.params.id), actorOf(res).id));
  });
  router.get('/:id/audit', async (req, res) => {
    res.json({ items: await engine.audit(instanceId(req.params.id)) });
  });
  return router;
}
