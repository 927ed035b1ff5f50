/**
 * /api/secrets, for admins only: list names and metadata (never a value),
 * set one (PUT: creates or replaces), delete one. A value goes in and never
 * comes out: no response, audit row or log line carries it.
 */
import type { Logger } from 'pino';
import { ADMINS } from '../api/access.js';
import { routes, type ApiRoute } from '../api/api-routes.js';
import { actorOf } from '../api/auth.js';
import { bodyOf } from '../api/route-input.js';
import { putSecretBody, secretPathSchema } from './secret-schemas.js';
import type { SecretsAdmin } from './secrets-admin.js';

/** Changes are logged (name, actor, key id) for operators who follow the log rather than the audit. */
export function secretRoutes(admin: SecretsAdmin, logger?: Logger): ApiRoute[] {
  return routes('/secrets', (router) => {
    router.get('/', { access: ADMINS, summary: 'List secret names and metadata (never a value)' }, async (_req, res) => {
      res.json({ keyId: admin.keyId, items: await admin.list() });
    });
    router.put('/:name', { access: ADMINS, summary: 'Create or replace a secret', params: secretPathSchema, body: putSecretBody }, async (req, res) => {
      const { name } = secretPathSchema.parse(req.params);
      const { value } = bodyOf(res, putSecretBody);
      const { created, info } = await admin.set(name, value, actorOf(res).id);
      // `name`, not `secret`: the log censors secret-named fields (security/logger.ts).
      logger?.info({ name, actor: info.updatedBy, keyId: info.keyId }, created ? 'secret created' : 'secret replaced');
      res.status(created ? 201 : 200).json(info);
    });
    router.delete('/:name', { access: ADMINS, summary: 'Delete a secret', params: secretPathSchema }, async (req, res) => {
      const { name } = secretPathSchema.parse(req.params);
      await admin.delete(name, actorOf(res).id);
      logger?.info({ name, actor: actorOf(res).id }, 'secret deleted');
      res.status(204).end();
    });
  });
}
