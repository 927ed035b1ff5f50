/**
 * Connectors as BullMQ workers, one per job type on its own queue
 * (engine/queue/routing.ts), through the worker SDK: in the engine process
 * (engine/features/connectors.ts, the engine service as client) or in a
 * process of their own (`npx weft connectors`, the REST job client).
 */
import type { RedisClient } from '../../engine/queue/redis.js';
import type { Logger } from 'pino';
import { createWorker, type JobClient, type WeftWorker } from '../../engine/worker/create-worker.js';
import type { SecretResolver } from '../../engine/secrets/types.js';
import { envSecrets } from '../../engine/secrets/env-secrets.js';
import type { Connector } from './define-connector.js';
import { connectorHandler } from './connector-handler.js';

export interface StartConnectorsOptions {
  client: JobClient;
  connection: RedisClient;
  prefix: string;
  logger: Logger;
  /** Where `{{secrets.NAME}}` is looked up (default: WEFT_SECRET_NAME in the environment). */
  secrets?: SecretResolver;
  concurrency?: number;
  /** Backoff between retries when a diagram sets no `retryBackoff` (default 1 s). */
  defaultBackoffMs?: number;
}

export interface RunningConnectors {
  workers: WeftWorker[];
  close(): Promise<void>;
}

export function startConnectors(connectors: Connector[], options: StartConnectorsOptions): RunningConnectors {
  const closing = new AbortController();
  const secrets = options.secrets ?? envSecrets();
  const workers = connectors.flatMap((connector) => {
    const handler = connectorHandler(connector, { secrets, logger: options.logger, defaultBackoffMs: options.defaultBackoffMs, closing: closing.signal });
    return connector.types.map((type) =>
      createWorker(type, handler, {
        client: options.client,
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        // A little past the attempt's own bound, so the attempt is aborted before the engine hands the job to another worker.
        timeoutMs: (connector.timeoutMs ?? 60_000) + 5_000,
        onError: (err, job) => options.logger.debug({ err, jobKey: job?.key, type }, 'connector job failed'),
      }),
    );
  });
  return {
    workers,
    async close() {
      closing.abort();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
