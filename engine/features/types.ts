/**
 * A feature is a slice of Weft beyond the engine core (agents, people and the
 * inbox, the modeler's endpoints): its own routes, deployable resource types
 * and background work, plugged in without editing the core. Each feature is
 * one module listed in index.ts.
 */
import type { Knex } from 'knex';
import type { RedisClient } from '../queue/redis.js';
import type { Logger } from 'pino';
import type { WeftMetrics } from '../observability/metrics/weft-metrics.js';
import type express from 'express';
import type { Config } from '../config.js';
import type { EngineService } from '../service/engine-service.js';
import type { Dispatcher } from '../queue/dispatcher.js';
import type { ModelProblem } from '../model/types.js';
import type { ApiEdge } from '../api/auth.js';
import type { ApiRoute } from '../api/api-routes.js';
import type { TaskCompletionCheck } from '../api/task-routes.js';
import type { DeployHook } from '../persistence/definition-repository.js';
import type { DeployWarningCheck } from '../service/types.js';

export interface FeatureContext {
  config: Config;
  db: Knex;
  /** For BullMQ Workers: commands wait through reconnects. */
  redis: RedisClient;
  /** For plain commands on a request's path: they fail fast while Redis is down (a 503, not a hang). */
  commandRedis: RedisClient;
  engine: EngineService;
  dispatcher: Dispatcher;
  logger: Logger;
  /** The engine's metrics: features count what they do (the agent worker's model calls). */
  metrics?: WeftMetrics;
  /**
   * The /api authentication (the admin token, the features' tokens and
   * sessions), for routes outside /api that take the same credentials (the
   * A2A endpoints). Set when the HTTP app is built, for `routes` only.
   */
  apiAuth?: express.RequestHandler;
}

/**
 * What routes outside `/api` are given besides the feature context: how `/api`
 * knows its callers (the admin token, the feature edge's personal tokens) and
 * the task completion rules, so an edge such as `/mcp` treats a caller exactly
 * as `/api` does.
 */
export interface RouteContext extends FeatureContext {
  adminToken: string;
  apiEdge?: ApiEdge;
  taskChecks: TaskCompletionCheck[];
}

/** A kind of file that can be deployed with the diagrams (e.g. `.form`, `.agent.json`). */
export interface ResourceHandler {
  /** The key under which deployed resources of this kind are listed in the deployment response, e.g. `forms`. */
  responseKey: string;
  accepts(fileName: string): boolean;
  /** Problems make the whole deployment a 422; nothing is stored. */
  check(resource: { name: string; content: string }): Promise<ModelProblem[]>;
  /** Stores the resource in the deployment's transaction; returns what the response lists for it. */
  store(trx: Knex.Transaction, resource: { name: string; content: string }, deploymentId: string, actor: string): Promise<Record<string, unknown>>;
}

export interface Feature {
  name: string;
  /** Deployable resource kinds; given the configuration, since what a deploy may hold can depend on it (agent connections). */
  resources?(config: Config): ResourceHandler[];
  /** What a committed deployment holds that will not work as it stands: `warnings` in the deploy response (never a refusal). */
  deployWarnings?(ctx: { config: Config; db: Knex }): DeployWarningCheck;
  /** Work a new process version brings, in the deployment's transaction (a WeftError refuses the deployment). */
  deployHooks?(): DeployHook[];
  /** `/api` routes (behind the API's authentication), each declaring who may call it. */
  apiRoutes?(ctx: FeatureContext): ApiRoute[];
  /** Routes outside `/api` (pages' own endpoints, sign-in). */
  routes?(ctx: RouteContext): express.Router[];
  /** Credentials and task rules at the API's edge (personal tokens, browser sessions); one feature provides them. */
  apiEdge?(ctx: FeatureContext): ApiEdge;
  /** A rule for completing the tasks this feature creates (asked before every task completion; refuses with a 422). */
  checkTaskCompletion?(ctx: FeatureContext): TaskCompletionCheck;
  /** Background work (workers, loops); returns how to stop it. */
  start?(ctx: FeatureContext): Promise<() => Promise<void>>;
}
