/** /api/incidents: list and resolve run-time failures. */
import { Router } from 'express';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { listIncidentsQuery, pathId } from './schemas.js';

export function incidentRoutes(engine: EngineApi): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json({ items: await engine.listIncidents(listIncidentsQuery.parse(req.query)) });
  });
  router.post('/:id/resolve', async (req, res) => {
    const id = pathId(req.params.id, 'INCIDENT_NOT_FOUND', 'Incident');
    res.json(await engine.resolveIncident(id, actorOf(res).id));
  });
  return router;
}
