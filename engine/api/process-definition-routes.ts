/** GET /api/process-definitions and the XML each was deployed from. */
import { Router } from 'express';
import type { EngineApi } from '../service/types.js';
import { pathId } from './schemas.js';
import { sendStoredFile } from './security-headers.js';

export function processDefinitionRoutes(engine: EngineApi): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ items: await engine.listDefinitions() });
  });
  router.get('/:key/xml', async (req, res) => {
    const key = pathId(req.params.key, 'PROCESS_NOT_FOUND', 'Process definition');
    const xml = await engine.definitionXml(key);
    // The XML is what was uploaded: a download, never a page of this origin (an XHTML <script> in it would run).
    sendStoredFile(res, `${key}.bpmn`, 'application/xml', xml);
  });
  return router;
}
