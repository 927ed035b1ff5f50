/**
 * The built-in connectors (connectors/): their element templates in the
 * modeler, and their workers in the engine process, each on its job type's
 * queue with the engine service as client. WEFT_CONNECTORS=off leaves the
 * workers to a process of their own (`npx weft connectors`).
 */
import type { Feature } from './types.js';
import { builtInConnectors, DEFAULT_CONNECTORS_CONFIG, registerConnectorTemplates } from '../../connectors/built-in.js';
import { startConnectors } from '../../connectors/sdk/start-connectors.js';
import { secretResolver } from '../secrets/secret-resolver.js';
import { reachOf } from '../connections/server-reach.js';

registerConnectorTemplates();

export const connectorsFeature: Feature = {
  name: 'connectors',
  async start(ctx) {
    const config = ctx.config.connectors ?? DEFAULT_CONNECTORS_CONFIG;
    if (!config.enabled) return async () => undefined;
    const running = startConnectors(builtInConnectors(config, reachOf(ctx.config)), {
      client: ctx.engine,
      // `{{secrets.NAME}}`: the environment, then the encrypted secrets store.
      secrets: secretResolver({ db: ctx.db, keys: ctx.config.secretKeys }),
      connection: ctx.redis,
      prefix: ctx.config.queuePrefix,
      logger: ctx.logger.child({ component: 'connectors' }),
    });
    return () => running.close();
  },
};
