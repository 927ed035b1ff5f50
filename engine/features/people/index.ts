/**
 * People: users, groups, roles, personal API tokens, browser sign-in, the
 * task rules of the inbox, and deployable forms. See docs in README
 * ("People and the inbox").
 */
import type { Feature, FeatureContext } from '../types.js';
import { FormRepository } from './form-repository.js';
import { formResource } from './form-resource.js';
import { IdentityRepository } from './identity-repository.js';
import { formRoutes, inboxRoutes } from './inbox-routes.js';
import { Sessions } from './sessions.js';
import { signInRoutes } from './sign-in-routes.js';
import { RedisAttemptLimiter } from './attempt-limiter.js';
import { PeopleTaskAccess } from './task-access.js';
import { startTaskNotifications, webhookNotifier } from './task-notifications.js';
import { meRoutes, tokenRoutes, userRoutes } from './user-routes.js';


export const people: Feature = {
  name: 'people',
  resources: () => [formResource],
  apiRoutes(ctx: FeatureContext) {
    const identity = new IdentityRepository(ctx.db);
    const forms = new FormRepository(ctx.db);
    return [
      ...userRoutes(identity),
      ...tokenRoutes(identity),
      ...meRoutes(new Sessions(ctx.db, { trustProxy: ctx.config.trustProxy })),
      ...formRoutes(forms),
      ...inboxRoutes(ctx.db, ctx.engine, forms),
    ];
  },
  /** Task notifications run when WEFT_TASK_WEBHOOK_URL is set (see task-notifications.ts). */
  async start(ctx: FeatureContext) {
    const url = process.env.WEFT_TASK_WEBHOOK_URL;
    if (!url) return async () => undefined;
    return startTaskNotifications({
      db: ctx.db,
      connection: ctx.redis,
      prefix: ctx.config.queuePrefix,
      logger: ctx.logger,
      notifier: webhookNotifier(url, process.env.WEFT_TASK_WEBHOOK_SECRET),
      publicUrl: process.env.WEFT_PUBLIC_URL,
      scanMs: Number(process.env.WEFT_TASK_NOTIFY_SCAN_MS) || undefined,
      backoffMs: Number(process.env.WEFT_TASK_NOTIFY_BACKOFF_MS) || undefined,
    });
  },
  routes(ctx: FeatureContext) {
    // Sign-in attempts are counted in Redis, so every engine process shares the limits;
    // while Redis is down sign-in answers 503 (an attempt that cannot be counted is not allowed).
    const prefix = `${ctx.config.queuePrefix}:sign-in`;
    const limits = {
      perUser: new RedisAttemptLimiter(ctx.commandRedis, `${prefix}:user`, { maxAttempts: 5 }),
      perAddress: new RedisAttemptLimiter(ctx.commandRedis, `${prefix}:address`, { maxAttempts: 50 }),
    };
    return [signInRoutes(new IdentityRepository(ctx.db), new Sessions(ctx.db, { trustProxy: ctx.config.trustProxy }), limits)];
  },
  /** A task with a deployed form completes only with data the form accepts. */
  checkTaskCompletion(ctx: FeatureContext) {
    const access = new PeopleTaskAccess(ctx.db, new FormRepository(ctx.db));
    return (task, variables) => access.checkCompletion(task, variables);
  },
  /** Personal tokens, browser sessions and the inbox's task rules for every /api route. */
  apiEdge(ctx: FeatureContext) {
    const identity = new IdentityRepository(ctx.db);
    const sessions = new Sessions(ctx.db, { trustProxy: ctx.config.trustProxy });
    const tasks = new PeopleTaskAccess(ctx.db, new FormRepository(ctx.db));
    return { token: (t) => identity.authenticateToken(t), tokenById: (id) => identity.authenticateTokenId(id), session: (req) => sessions.resolve(req), tasks };
  },
};
