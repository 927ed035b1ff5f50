/** The modeler page's endpoints: GET /api/element-templates. */
import { MODELERS } from '../api/access.js';
import { routes } from '../api/api-routes.js';
import type { Feature } from './types.js';
import { elementTemplates } from './modeler/element-templates.js';

export const modelerFeature: Feature = {
  name: 'modeler',
  apiRoutes: () =>
    routes('/element-templates', (router) => {
      router.get('/', { access: MODELERS, summary: "Element templates of the connectors, for the modeler's properties panel" }, (_req, res) => {
        res.json(elementTemplates());
      });
    }),
};
