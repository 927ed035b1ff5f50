/**
 * Deployed decisions (DMN): the list, the .dmn file a version came from,
 * and a direct evaluation. Deploying them goes through /api/deployments with
 * the diagrams (MODELERS). Reading and evaluating is for staff: a decision
 * table is business logic, not something an inbox user needs to see.
 */
import { z } from 'zod';
import { STAFF } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { bodyOf, queryOf } from './route-input.js';
import { variablesSchema } from './schemas.js';
import { sendStoredFile } from './security-headers.js';

/** A DMN id (an XML NCName in practice); anything else names no decision. */
const decisionId = z.string().min(1).max(255);

const evaluateBody = z.object({
  variables: variablesSchema.optional(),
  version: z.number().int().positive().optional(),
});

const xmlQuery = z.object({ version: z.coerce.number().int().positive().optional() });
const decisionParams = z.object({ decisionId: decisionId.describe("The decision's id in its DMN file") });

export function decisionRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/decisions', (router) => {
    router.get('/', { access: STAFF, summary: 'List deployed decisions' }, async (_req, res) => {
      res.json({ items: await engine.listDecisions() });
    });
    router.get('/:decisionId/xml', { access: STAFF, summary: 'The .dmn file a version of the decision came from (latest unless named)', params: decisionParams, query: xmlQuery }, async (req, res) => {
      const id = decisionId.parse(req.params.decisionId);
      const { version } = queryOf(res, xmlQuery);
      const { xml, resourceName } = await engine.decisionXml(id, version);
      // What was uploaded comes back as a download, never a page of this origin.
      sendStoredFile(res, resourceName, 'application/xml', xml);
    });
    router.post('/:decisionId/evaluate', { access: STAFF, summary: 'Evaluate a decision with variables (audited)', params: decisionParams, body: evaluateBody }, async (req, res) => {
      const id = decisionId.parse(req.params.decisionId);
      const body = bodyOf(res, evaluateBody);
      res.json(await engine.evaluateDecision(id, { variables: body.variables ?? {}, version: body.version }, actorOf(res).id));
    });
  });
}
