/**
 * Inbound webhooks, configured as Camunda's HTTP webhook connector is (its
 * element templates' `zeebe:property` entries, read at deploy by
 * engine/model/transformers/inbound-webhook.ts): `/webhooks/<id>` starts an
 * instance at a webhook start event, or publishes the message of a webhook
 * message start event, intermediate catch event, boundary event or receive
 * task. See README, "Inbound webhooks".
 *
 * Credentials may be `{{secrets.NAME}}`: resolved by the resolver given to
 * `webhooksFeature` (by default the server's: the environment, WEFT_SECRET_NAME,
 * then the secrets store).
 */
import type { Feature } from '../types.js';
import type { SecretResolver } from '../../secrets/types.js';
import { secretResolver } from '../../secrets/secret-resolver.js';
import { registerWebhooks } from './webhook-endpoints.js';
import { webhookRoutes } from './webhook-routes.js';
import './webhook-templates.js';

export function webhooksFeature(options: { secrets?: SecretResolver } = {}): Feature {
  return {
    name: 'webhooks',
    deployHooks: () => [registerWebhooks],
    routes: (ctx) => [webhookRoutes({ db: ctx.db, engine: ctx.engine, secrets: options.secrets ?? secretResolver({ db: ctx.db, keys: ctx.config.secretKeys }), logger: ctx.logger })],
  };
}

export const webhooks: Feature = webhooksFeature();
