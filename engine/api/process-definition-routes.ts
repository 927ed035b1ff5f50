/** GET /api/process-definitions, the XML each was deployed from, and their instances counted by state. */
import { EVERYONE, OPERATORS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import type { EngineApi } from '../service/types.js';
import { z } from 'zod';
import { pathId } from './schemas.js';
import { sendStoredFile } from './security-headers.js';

export function processDefinitionRoutes(engine: EngineApi): ApiRoute[] {
  // Everyone: the inbox shows a task's diagram.
  return routes('/process-definitions', (router) => {
    router.get('/', { access: EVERYONE, summary: 'List deployed process definitions' }, async (_req, res) => {
      res.json({ items: await engine.listDefinitions() });
    });
    // How many instances of each version are where: operations' overview, not the inbox's business.
    router.get('/statistics', { access: OPERATORS, summary: 'Every process version with its instances counted by state (active, with incidents, completed, canceled)' }, async (_req, res) => {
      res.json({ items: await engine.definitionStatistics() });
    });
    router.get('/:key/xml', { access: EVERYONE, summary: 'The BPMN XML a definition was deployed from (a download)', params: z.object({ key: z.guid().describe("The definition's key") }) }, async (req, res) => {
      const key = pathId(req.params.key, 'PROCESS_NOT_FOUND', 'Process definition');
      const xml = await engine.definitionXml(key);
      // The XML is what was uploaded: a download, never a page of this origin (an XHTML <script> in it would run).
      sendStoredFile(res, `${key}.bpmn`, 'application/xml', xml);
    });
  });
}
