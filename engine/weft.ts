/**
 * Wires one engine process: Postgres, Redis, the engine service, the
 * background loops and (optionally) the HTTP server. `npm start` calls this
 * through main.ts; integration tests call it directly, in-process.
 */
import type { Server } from 'node:http';
import type { Express } from 'express';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type { RedisClient } from './queue/redis.js';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from './config.js';
import { setFeelLimits } from './runtime/feel-limits.js';
import { createDatabase, migrate, openDatabase } from './persistence/database.js';
import { ensureAdminToken } from './persistence/admin-token.js';
import { checkRedis, duplicateRedis, openCommandRedis, openRedis } from './queue/redis.js';
import { Dispatcher } from './queue/dispatcher.js';
import { OutboxRelay } from './queue/outbox-relay.js';
import { Redriver } from './queue/redrive.js';
import { startBackground, type BackgroundOptions } from './queue/background.js';
import { scheduleStartTimers } from './timers/start-timer-schedule.js';
import { registerSignalStartEvents } from './signals/signal-start-events.js';
import { EngineService, type EngineServiceDeps } from './service/engine-service.js';
import { createApp } from './api/app.js';
import { bearerAuth } from './api/auth.js';
import { listen } from './api/server.js';
import { features } from './features/index.js';
import { ChangeFeed } from './queue/change-feed.js';
import type { FeatureContext, RouteContext } from './features/types.js';
import { createLogger } from './security/logger.js';
import { registerEnvironmentSecrets, registerSecret } from './security/redaction.js';
import { connectionSecretValues } from './connections/env-references.js';
import { reachOf } from './connections/server-reach.js';
import { createWorker, type JobHandler, type WeftWorker, type WorkerOptions } from './worker/create-worker.js';
import { WeftMetrics } from './observability/metrics/weft-metrics.js';
import { metricsRoutes } from './observability/metrics/metrics-routes.js';
import { queueBoardRoutes } from './observability/queue-board/queue-board-routes.js';
import { HUMAN_TASK_QUEUE } from './features/people/task-notifications.js';
import { startTracing } from './observability/tracing/tracing.js';
import { tracingSettingsFrom, type TracingSettings } from './observability/tracing/tracing-settings.js';

export interface WeftOptions {
  config: Config;
  /** Yours to choose; made with createLogger (engine/security/logger.ts) it keeps Weft's redaction. Default: createLogger at config.logLevel. */
  logger?: Logger;
  /** Where the default logger writes (default stdout). */
  logStream?: DestinationStream;
  /** Serve the REST API (default true). */
  http?: boolean;
  /** Create the database if missing and run migrations (default true). */
  migrate?: boolean;
  background?: BackgroundOptions | false;
  poolMax?: number;
  afterCommit?: () => void;
  /** Test hook (EngineServiceDeps.inGroupCommit): awaited inside each group commit, before its COMMIT. */
  inGroupCommit?: EngineServiceDeps['inGroupCommit'];
  /** Built browser pages to serve; default dist/pages. */
  pagesDir?: string;
  /** Start the features' background work (default true). */
  features?: boolean;
  /** Where to send spans; default from OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT (tracing-settings.ts); null: off. */
  tracing?: TracingSettings | null;
}

export const PAGES_DIR = fileURLToPath(new URL('../dist/pages/', import.meta.url));

export interface Weft {
  engine: EngineService;
  db: Knex;
  redis: RedisClient;
  /** Which instances commits changed, from every engine (GET /api/events). */
  changes: ChangeFeed;
  dispatcher: Dispatcher;
  relay: OutboxRelay;
  redriver: Redriver;
  adminToken: string;
  adminTokenGenerated: boolean;
  server?: Server;
  /** The HTTP app (when serving); `app.locals.apiRoutes` lists every /api route and who may call it. */
  app?: Express;
  /** Where the API listens, e.g. http://127.0.0.1:3000. */
  url?: string;
  logger: Logger;
  /** This engine's Prometheus metrics (served at GET /metrics). */
  metrics: WeftMetrics;
  /** An in-process worker on this engine (completions go straight to the engine). */
  worker(type: string, handler: JobHandler, options?: Partial<WorkerOptions>): WeftWorker;
  close(): Promise<void>;
}

export async function startWeft(options: WeftOptions): Promise<Weft> {
  const { config } = options;
  // Secrets known at start (keys and passwords in the environment) are scrubbed from every sink from here on.
  registerEnvironmentSecrets();
  registerSecret(config.adminToken);
  // A connection may keep its key in a variable whose name does not look secret (`ACME_OPENAI`).
  for (const value of connectionSecretValues(reachOf(config).connections)) registerSecret(value);
  const logger = options.logger ?? createLogger({ level: config.logLevel }, options.logStream);
  // Process-wide: every engine in one process evaluates FEEL under the same bounds.
  setFeelLimits(config.feelLimits ?? {});
  if (options.migrate !== false) await createDatabase(config.databaseUrl);
  const db = await openDatabase({ databaseUrl: config.databaseUrl }, { poolMax: options.poolMax ?? 10 });
  const closers: (() => Promise<unknown>)[] = [() => db.destroy()];
  // Off unless configured: then the SDK is not even imported (observability/tracing).
  const tracing = options.tracing === undefined ? tracingSettingsFrom(process.env) : options.tracing;
  if (tracing) closers.push(await startTracing(tracing));
  try {
    if (options.migrate !== false) await migrate(db);
    await checkRedis(config.redisUrl);
    const redis = openRedis(config.redisUrl);
    closers.unshift(() => quit(redis));
    // Commands on a request's path (enqueueing, sign-in counters, the health ping) fail fast
    // while Redis is down; the connection pipelines every command issued in one tick into one write.
    const commandRedis = await openCommandRedis(config.redisUrl, { enableAutoPipelining: true });
    closers.unshift(() => quit(commandRedis));
    const dispatcher = new Dispatcher(commandRedis, config.queuePrefix);
    closers.unshift(() => dispatcher.close());
    const relay = new OutboxRelay(db, dispatcher);
    closers.unshift(() => relay.close());
    const redriver = new Redriver(db, redis, dispatcher);
    const metrics = new WeftMetrics({ db, dispatcher, logger, extraQueues: [HUMAN_TASK_QUEUE] });
    closers.push(async () => metrics.registry.clear());
    const engine = new EngineService({
      db,
      redis: commandRedis,
      relay,
      logger,
      afterCommit: options.afterCommit,
      inGroupCommit: options.inGroupCommit,
      metrics,
      resources: features.flatMap((f) => f.resources?.(config) ?? []),
      deployHooks: [scheduleStartTimers, registerSignalStartEvents, ...features.flatMap((f) => f.deployHooks?.() ?? [])],
      deployWarnings: features.flatMap((f) => (f.deployWarnings ? [f.deployWarnings({ config, db })] : [])),
    });
    const changes = new ChangeFeed({ publisher: commandRedis, subscriberOf: () => duplicateRedis(redis), channel: `${config.queuePrefix}:instance-changes`, logger });
    await changes.start();
    closers.unshift(() => changes.close());
    engine.observeChanges((ids) => changes.changed(ids));
    const token = await ensureAdminToken(db, config.adminToken);
    // A generated token lives in the database, not the environment: register it by value.
    registerSecret(token.token);

    // Whatever was left undelivered by a previous run goes out now.
    await relay.sweep(0);
    await redriver.redriveIfRedisLost();
    // Signals thrown by commands are delivered after their commit, with or without the background loops.
    closers.unshift(() => engine.signals.idle());
    if (options.background !== false) {
      const background = startBackground(relay, redriver, logger, { timerPollMs: config.timerPollMs, ...options.background }, engine.timers, [
        ...engine.messages.duties(options.background ? options.background.messageSweepMs : undefined),
        { name: 'instance notifications', everyMs: 1000, work: () => engine.notifications.sweep() },
        { name: 'signal broadcasts', everyMs: 1000, work: () => engine.signals.sweep() },
      ]);
      closers.unshift(() => engine.notifications.idle());
      closers.unshift(() => background.stop());
    }

    const weft: Weft = {
      engine,
      db,
      redis,
      changes,
      dispatcher,
      relay,
      redriver,
      adminToken: token.token,
      adminTokenGenerated: token.generated,
      logger,
      metrics,
      worker(type, handler, workerOptions = {}) {
        const worker = createWorker(type, handler, { client: engine, connection: redis, prefix: config.queuePrefix, ...workerOptions });
        closers.unshift(() => worker.close());
        return worker;
      },
      async close() {
        for (const close of closers.splice(0)) {
          await close().catch((err) => logger.warn({ err }, 'error while closing'));
        }
      },
    };
    const featureContext: FeatureContext = { config, db, redis, commandRedis, engine, dispatcher, logger, metrics };
    if (options.features !== false) {
      for (const feature of features) {
        if (!feature.start) continue;
        const stop = await feature.start(featureContext);
        closers.unshift(stop);
      }
    }

    if (options.http !== false) {
      const apiEdge = features.map((f) => f.apiEdge?.(featureContext)).find(Boolean);
      const taskChecks = features.flatMap((f) => (f.checkTaskCompletion ? [f.checkTaskCompletion(featureContext)] : []));
      const routeContext: RouteContext = { ...featureContext, adminToken: token.token, apiEdge, taskChecks, apiAuth: bearerAuth(token.token, undefined, apiEdge) };
      const app = createApp({
        engine,
        adminToken: token.token,
        trustProxy: config.trustProxy,
        logger,
        pagesDir: options.pagesDir ?? PAGES_DIR,
        apiRoutes: features.flatMap((f) => f.apiRoutes?.(featureContext) ?? []),
        routes: [
          metricsRoutes(metrics, routeContext.apiAuth!),
          queueBoardRoutes({ db, dispatcher, extraQueues: [HUMAN_TASK_QUEUE] }, routeContext.apiAuth!),
          ...features.flatMap((f) => f.routes?.(routeContext) ?? []),
        ],
        apiEdge,
        taskChecks,
        changes,
      });
      weft.app = app;
      weft.server = await listen(app, config.port);
      const address = weft.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      weft.url = `http://127.0.0.1:${port}`;
      closers.unshift(() => new Promise((resolve) => weft.server!.close(() => resolve(undefined))));
      // Event streams never end on their own: end them first, or closing the server waits for them.
      closers.unshift(async () => changes.endStreams());
    }
    return weft;
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

/** QUIT waits for Redis; while it is down there is nothing to say goodbye to. */
async function quit(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
