/** The modeler page's endpoints: GET /api/element-templates. */
import { Router } from 'express';
import type { Feature } from './types.js';
import { elementTemplates } from './modeler/element-templates.js';

export const modelerFeature: Feature = {
  name: 'modeler',
  apiRoutes: () => {
    const router = Router();
    router.get('/', (_req, res) => {
      res.json(elementTemplates());
    });
    return [{ path: '/element-templates', router }];
  },
};
