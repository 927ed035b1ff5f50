/**
 * /v2/incidents: search, get and resolution, allowed to the callers of
 * GET /api/incidents and POST /api/incidents/:id/resolve (operators), and
 * resolving through the same engine call: the element is retried (a job
 * gets at least one retry back, as Camunda's operator would first set).
 */
import type express from 'express';
import { actorOf } from '../../../api/auth.js';
import { parseBody } from '../../../api/schemas.js';
import { WeftError } from '../../../errors.js';
import type { PartDeps } from '../deployment-routes.js';
import { idOf } from '../keys.js';
import { searchResult, window } from '../search.js';
import { allow } from '../v2-access.js';
import { filteredIncidents, incidentResults, incidentRow, searchIncidents } from './incident-query.js';
import { incidentSearchBody, resolutionBody } from './incident-schemas.js';

export function incidentPart(deps: PartDeps) {
  const { db, engine } = deps;
  const incidentId = async (key: string) => {
    const id = await idOf(db, 'incident', key);
    if (!id) throw new WeftError('INCIDENT_NOT_FOUND', `Incident with key '${key}' not found`);
    return id;
  };
  const readers = allow(deps.access('GET /incidents'), 'GET /incidents');

  return (router: express.Router) => {
    router.post('/incidents/search', readers, async (req, res) => {
      const body = parseBody(incidentSearchBody, req.body);
      const { offset, limit } = window(body?.page);
      const found = await filteredIncidents(db, body?.filter ?? {});
      if (!found) return void res.json(searchResult([], 0, offset));
      const { items, total } = await searchIncidents(db, found.q, body?.sort ?? [], offset, limit);
      res.json(searchResult(items, total, offset));
    });

    router.get('/incidents/:incidentKey', readers, async (req, res) => {
      const row = await incidentRow(db, await incidentId(String(req.params.incidentKey)));
      if (!row) throw new WeftError('INCIDENT_NOT_FOUND', `Incident with key '${req.params.incidentKey}' not found`);
      res.json((await incidentResults(db, [row]))[0]);
    });

    router.post('/incidents/:incidentKey/resolution', allow(deps.access('POST /incidents/:id/resolve'), 'POST /incidents/:id/resolve'), async (req, res) => {
      parseBody(resolutionBody, req.body);
      await engine.resolveIncident(await incidentId(String(req.params.incidentKey)), actorOf(res).id);
      res.status(204).end();
    });
  };
}
