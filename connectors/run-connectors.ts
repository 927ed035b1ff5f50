/**
 * `npx weft connectors`: the built-in connectors in a process of their own,
 * for users who scale them apart from the engine (run the engine with
 * WEFT_CONNECTORS=off). The process needs no database: it takes jobs from
 * its queues in Redis and reports to the engine over the REST job API with
 * a worker-scoped token (`weft token create <user> --scope worker`).
 *
 *   WEFT_URL=https://weft.example WEFT_TOKEN=weft_… REDIS_URL=redis://… npx weft connectors
 *
 * Also read: WEFT_QUEUE_PREFIX (the engine's), WEFT_CONNECTOR_ALLOW and
 * WEFT_CONNECTOR_MAX_RESPONSE_BYTES and WEFT_CONNECTIONS / WEFT_CONNECTIONS_FILE
 * (as for the engine: the MCP connector's servers), WEFT_SECRET_*. Without a
 * database it reads secrets from the environment only: a connector that
 * needs a secret of the encrypted store runs in the engine process.
 */
import { startTracing } from '../engine/observability/tracing/tracing.js';
import { tracingSettingsFrom } from '../engine/observability/tracing/tracing-settings.js';
import { z } from 'zod';
import { openRedis } from '../engine/queue/redis.js';
import { redisUrlSetting } from '../engine/config.js';
import { httpJobClient } from '../engine/worker/http-job-client.js';
import { createLogger } from '../engine/security/logger.js';
import { registerEnvironmentSecrets, registerSecret } from '../engine/security/redaction.js';
import { builtInConnectors } from './built-in.js';
import { loadConnections } from '../engine/connections/load-connections.js';
import type { ServerReach } from '../engine/connections/server-reach.js';
import { addressPolicy } from './http/address-policy.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './http/http-connector.js';
import { startConnectors, type RunningConnectors } from './sdk/start-connectors.js';

const Settings = z.object({
  WEFT_URL: z.url({ protocol: /^https?$/, error: 'must be the engine’s http(s) URL, e.g. http://127.0.0.1:3000' }),
  WEFT_TOKEN: z.string({ error: 'must be an API token (weft token create <user> --scope worker)' }).min(8, 'must be an API token (weft token create <user> --scope worker)'),
  // One server or a Redis Cluster's nodes (redis-cluster://host:port,…), as the engine reads it.
  REDIS_URL: redisUrlSetting(),
  WEFT_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'may hold letters, digits, _ . - only').default('weft'),
  WEFT_CONNECTOR_ALLOW: z.string().default(''),
  WEFT_CONNECTOR_MAX_RESPONSE_BYTES: z.coerce.number().int().positive('must be at least 1').default(DEFAULT_MAX_RESPONSE_BYTES),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Reads the environment; throws one Error naming every bad variable. */
export function connectorProcessSettings(env: NodeJS.ProcessEnv = process.env) {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Settings.safeParse(present);
  const problems = parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  const allow = String(present.WEFT_CONNECTOR_ALLOW ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  problems.push(...addressPolicy(allow).problems.map((p) => `WEFT_CONNECTOR_ALLOW: ${p}`));
  const connections = loadConnections(present);
  problems.push(...connections.problems);
  if (!parsed.success || problems.length > 0) throw new Error(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { ...parsed.data, allow, connections: connections.connections };
}

export async function runConnectors(env: NodeJS.ProcessEnv = process.env): Promise<RunningConnectors> {
  const settings = connectorProcessSettings(env);
  registerEnvironmentSecrets(env);
  registerSecret(settings.WEFT_TOKEN);
  const logger = createLogger({ level: settings.LOG_LEVEL });
  // The MCP connector's servers: the same WEFT_CONNECTIONS / WEFT_CONNECTIONS_FILE as the engine's.
  const reach: ServerReach = { connections: settings.connections, inline: { mcpCommands: false, mcpUrls: false } };
  const connectors = builtInConnectors({ enabled: true, allow: settings.allow, maxResponseBytes: settings.WEFT_CONNECTOR_MAX_RESPONSE_BYTES }, reach);
  // The same OTEL_* variables as the engine's: the connectors' job spans join the engine's traces.
  const tracingSettings = tracingSettingsFrom(env);
  const stopTracing = tracingSettings ? await startTracing(tracingSettings) : async () => undefined;
  const connection = openRedis(settings.REDIS_URL);
  const running = startConnectors(connectors, { client: httpJobClient(settings.WEFT_URL, settings.WEFT_TOKEN), connection, prefix: settings.WEFT_QUEUE_PREFIX, logger });
  logger.info({ types: connectors.flatMap((c) => c.types), engine: settings.WEFT_URL }, 'connectors started');
  return {
    workers: running.workers,
    async close() {
      await running.close();
      await connection.quit().catch(() => connection.disconnect());
      await stopTracing();
    },
  };
}
