/** /api/incidents: list and resolve run-time failures. */
import { OPERATORS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { listIncidentsQuery, pathId } from './schemas.js';

export function incidentRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/incidents', (router) => {
    router.get('/', OPERATORS, async (req, res) => {
      res.json({ items: await engine.listIncidents(listIncidentsQuery.parse(req.query)) });
    });
    router.post('/:id/resolve', OPERATORS, async (req, res) => {
      const id = pathId(req.params.id, 'INCIDENT_NOT_FOUND', 'Incident');
      res.json(await engine.resolveIncident(id, actorOf(res).id));
    });
  });
}
