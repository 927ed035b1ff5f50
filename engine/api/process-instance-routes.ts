/** /api/process-instances: start, list, inspect, cancel, modify, migrate, audit trail and its verification. */
import { INSTANCE_STARTERS, OPERATORS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { bodyOf, queryOf } from './route-input.js';
import { instanceParams, listInstancesQuery, pathId, startInstanceBody, triggerBody, updateVariablesBody } from './schemas.js';
import { migrationBody, modificationBody } from './operation-schemas.js';
import type { ModificationRequest } from '../service/types.js';

export function processInstanceRoutes(engine: EngineApi): ApiRoute[] {
  const instanceId = (id: string | string[]) => pathId(id, 'INSTANCE_NOT_FOUND', 'Process instance');

  return routes('/process-instances', (router) => {
    // Modelers start instances of what they drew; looking at and changing running ones is operations.
    router.post('/', { access: INSTANCE_STARTERS, summary: 'Start an instance of a deployed process (its latest version unless one is named)', body: startInstanceBody }, async (_req, res) => {
      const body = bodyOf(res, startInstanceBody);
      res.status(201).json(await engine.startInstance(body, actorOf(res).id));
    });
    router.get('/', { access: OPERATORS, summary: 'List process instances, newest first', query: listInstancesQuery }, async (_req, res) => {
      res.json(await engine.listInstances(queryOf(res, listInstancesQuery)));
    });
    router.get('/:id', { access: OPERATORS, summary: 'An instance: its state, variables, elements, incidents and timers', params: instanceParams }, async (req, res) => {
      res.json(await engine.getInstance(instanceId(req.params.id)));
    });
    router.post('/:id/cancel', { access: OPERATORS, summary: 'Cancel an active instance', params: instanceParams }, async (req, res) => {
      res.json(await engine.cancelInstance(instanceId(req.params.id), actorOf(res).id));
    });
    // A receive task without a message waits for an operator (or a test) to say it happened.
    router.post('/:id/trigger', { access: OPERATORS, summary: 'Continue a receive task that waits without a message', params: instanceParams, body: triggerBody }, async (req, res) => {
      res.json(await engine.triggerElement(instanceId(req.params.id), bodyOf(res, triggerBody), actorOf(res).id));
    });
    // Repairing a running instance: moving, starting and canceling its tokens, all or nothing, with a reason on the record.
    router.post('/:id/modification', { access: OPERATORS, summary: 'Modify a running instance: cancel, start or move tokens, with a reason', params: instanceParams, body: modificationBody }, async (req, res) => {
      const body = bodyOf(res, modificationBody) as ModificationRequest;
      res.json(await engine.modifyInstance(instanceId(req.params.id), body, actorOf(res).id));
    });
    router.post('/:id/migration', { access: OPERATORS, summary: 'Migrate a running instance to another version of its process (or dry-run it)', params: instanceParams, body: migrationBody }, async (req, res) => {
      res.json(await engine.migrateInstance(instanceId(req.params.id), bodyOf(res, migrationBody), actorOf(res).id));
    });
    // Changing variables by hand is operations' (before a retry, mostly); the reason goes on the record.
    router.put('/:id/variables', { access: OPERATORS, summary: "Change variables of a running instance's scope, with a reason (audited)", params: instanceParams, body: updateVariablesBody }, async (req, res) => {
      const id = instanceId(req.params.id);
      res.json(await engine.updateVariables(id, bodyOf(res, updateVariablesBody), actorOf(res).id));
    });
    router.get('/:id/audit', { access: OPERATORS, summary: "The instance's audit trail, oldest first", params: instanceParams }, async (req, res) => {
      res.json({ items: await engine.audit(instanceId(req.params.id)) });
    });
    // Recomputes the instance's hash chain: is the trail what was recorded (engine/audit)?
    router.get('/:id/audit/verify', { access: OPERATORS, summary: "Recompute the instance's audit hash chain and name the first event that does not match", params: instanceParams }, async (req, res) => {
      res.json(await engine.verifyAudit(instanceId(req.params.id)));
    });
  });
}
