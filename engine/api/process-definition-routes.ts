/** GET /api/process-definitions and the XML each was deployed from. */
import { Router } from 'express';
import type { EngineApi } from '../service/types.js';
import { pathId } from './schemas.js';

export function processDefinitionRoutes(engine: EngineApi): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ items: await engine.listDefinitions() });
  });
  router.get('/:key/xml', async (req, res) => {
    const key = pathId(req.params.key, 'PROCESS_NOT_FOUND', 'Process definition');
    const xml = await engine.definitionXml(key);
    res.type('application/xml').send(xml);
  });
  return router;
}
