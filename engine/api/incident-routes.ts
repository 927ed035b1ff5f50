/** /api/incidents: list and resolve run-time failures. */
import { OPERATORS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { queryOf } from './route-input.js';
import { incidentParams, listIncidentsQuery, pathId } from './schemas.js';

export function incidentRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/incidents', (router) => {
    router.get('/', { access: OPERATORS, summary: 'List incidents', query: listIncidentsQuery }, async (_req, res) => {
      res.json({ items: await engine.listIncidents(queryOf(res, listIncidentsQuery)) });
    });
    router.post('/:id/resolve', { access: OPERATORS, summary: 'Resolve an open incident and retry what failed', params: incidentParams }, async (req, res) => {
      const id = pathId(req.params.id, 'INCIDENT_NOT_FOUND', 'Incident');
      res.json(await engine.resolveIncident(id, actorOf(res).id));
    });
  });
}
