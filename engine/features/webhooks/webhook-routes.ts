/**
 * `/webhooks/:context`, outside `/api`: a webhook is guarded by its own
 * HMAC signature and authorization (webhook-delivery.ts), never by a Weft
 * token, so a provider can call it. Every method reaches the handler, which
 * answers 405 for one the webhook does not take. The raw body is read (up to
 * WEBHOOK_BODY_LIMIT) before anything else, because the signature is over
 * its bytes. Every refusal is `{error: {code, message}}` (api/errors.ts).
 */
import express from 'express';
import type { Logger } from 'pino';
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import type { EngineService } from '../../service/engine-service.js';
import type { SecretResolver } from '../../secrets/types.js';
import { requestGuard } from '../../api/request-guard.js';
import { STRICT_ROUTING } from '../../api/api-routes.js';
import { findEndpoint } from './webhook-endpoints.js';
import { deliver } from './webhook-delivery.js';
import { MissingSecretError } from './secret-values.js';
import { flattenHeaders, parseBody, queryParams } from './webhook-request.js';

export const WEBHOOK_BODY_LIMIT = '1mb';
/** The methods Camunda's webhook endpoint serves (inbound.method: any, get, post, put, delete). */
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

export interface WebhookRouteDeps {
  db: Knex;
  engine: EngineService;
  secrets: SecretResolver;
  logger: Logger;
}

export function webhookRoutes(deps: WebhookRouteDeps): express.Router {
  const router = express.Router(STRICT_ROUTING);
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  // Before the route: matching `:context` decodes it, and a malformed escape would throw there (a 500).
  router.use('/webhooks', requestGuard);
  router.all('/webhooks/:context', async (req, res) => {
    const context = req.params.context as string;
    const endpoint = await findEndpoint(deps.db, deps.engine.definitions, context);
    if (!endpoint) throw new WeftError('NOT_FOUND', `No webhook ${context} is deployed`);
    if (!METHODS.has(req.method)) {
      res.set('Allow', [...METHODS].join(', '));
      throw new WeftError('METHOD_NOT_ALLOWED', `Webhooks accept ${[...METHODS].join(', ')}`);
    }
    await new Promise<void>((resolve, reject) => raw(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers = flattenHeaders(req.headers);
    const request = { body: parseBody(rawBody, headers['content-type']), headers, params: queryParams(req.originalUrl) };
    try {
      const answer = await deliver(endpoint, { method: req.method, request, rawBody }, {
        engine: deps.engine,
        secrets: deps.secrets,
        warn: (message, detail) => deps.logger.warn(detail, message),
      });
      res.status(answer.status);
      for (const [name, value] of Object.entries(answer.headers)) {
        try {
          res.setHeader(name, value);
        } catch {
          // A header name or value HTTP cannot carry is left out, not a 500.
        }
      }
      if (typeof answer.body === 'string') res.type(res.get('Content-Type') ?? 'text/plain').send(answer.body);
      else res.json(answer.body);
    } catch (error) {
      if (error instanceof MissingSecretError) {
        // The administrator's to fix: the name goes to the log, the caller learns only that it is not them.
        deps.logger.warn({ context, secret: error.secretName }, 'webhook cannot check requests: a secret it names is not set');
        throw new WeftError('SERVICE_UNAVAILABLE', `Webhook ${context} is not configured completely on this server; try again later`);
      }
      throw error;
    }
  });
  return router;
}
