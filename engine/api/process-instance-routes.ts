/** /api/process-instances: start, list, inspect, cancel, audit trail. */
import { INSTANCE_STARTERS, OPERATORS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { listInstancesQuery, parseBody, pathId, startInstanceBody, triggerBody, updateVariablesBody } from './schemas.js';

export function processInstanceRoutes(engine: EngineApi): ApiRoute[] {
  const instanceId = (id: string | string[]) => pathId(id, 'INSTANCE_NOT_FOUND', 'Process instance');

  return routes('/process-instances', (router) => {
    // Modelers start instances of what they drew; looking at and changing running ones is operations.
    router.post('/', INSTANCE_STARTERS, async (req, res) => {
      const body = parseBody(startInstanceBody, req.body);
      res.status(201).json(await engine.startInstance(body, actorOf(res).id));
    });
    router.get('/', OPERATORS, async (req, res) => {
      res.json(await engine.listInstances(listInstancesQuery.parse(req.query)));
    });
    router.get('/:id', OPERATORS, async (req, res) => {
      res.json(await engine.getInstance(instanceId(req.params.id)));
    });
    router.post('/:id/cancel', OPERATORS, async (req, res) => {
      res.json(await engine.cancelInstance(instanceId(req.params.id), actorOf(res).id));
    });
    // A receive task without a message waits for an operator (or a test) to say it happened.
    router.post('/:id/trigger', OPERATORS, async (req, res) => {
      res.json(await engine.triggerElement(instanceId(req.params.id), parseBody(triggerBody, req.body), actorOf(res).id));
    });
    // Changing variables by hand is operations' (before a retry, mostly); the reason goes on the record.
    router.put('/:id/variables', OPERATORS, async (req, res) => {
      const id = instanceId(req.params.id);
      res.json(await engine.updateVariables(id, parseBody(updateVariablesBody, req.body), actorOf(res).id));
    });
    router.get('/:id/audit', OPERATORS, async (req, res) => {
      res.json({ items: await engine.audit(instanceId(req.params.id)) });
    });
  });
}
