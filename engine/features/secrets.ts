/**
 * The secrets store's admin API (engine/secrets/): what `{{secrets.NAME}}`
 * resolves to when the environment does not say.
 */
import type { Feature } from './types.js';
import { secretRoutes } from '../secrets/secret-routes.js';
import { SecretsAdmin } from '../secrets/secrets-admin.js';

export const secretsFeature: Feature = {
  name: 'secrets',
  apiRoutes: (ctx) => secretRoutes(new SecretsAdmin(ctx.db, ctx.config.secretKeys), ctx.logger),
};
