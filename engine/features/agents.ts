/**
 * The agents feature: `.agent.json` definitions deployed with the diagrams,
 * the agent worker on the agent queue, the kill switches and the run
 * transcripts. The work itself lives in connectors/agents/.
 */
import type { Feature } from './types.js';
import { agentResourceHandler } from './agents/agent-resource-handler.js';
import { agentRoutes, agentRunRoutes } from './agents/agent-routes.js';
import { startAgentWorker } from '../../connectors/agents/agent-worker.js';
import { cancelOrphanedReviews } from '../../connectors/agents/orphaned-reviews.js';
import { reachOf } from '../connections/server-reach.js';
import { reviewCompletionCheck } from '../../connectors/agents/review-completion.js';
import { logUnconfiguredAgents, unconfiguredAgentWarnings } from './agents/model-setup-report.js';

export const agentsFeature: Feature = {
  name: 'agents',
  resources: (config) => [agentResourceHandler(reachOf(config))],
  deployWarnings: ({ config, db }) => unconfiguredAgentWarnings(db, reachOf(config)),
  apiRoutes: (ctx) => [...agentRoutes(ctx.db, (jobKey) => ctx.engine.wakeJob(jobKey)), ...agentRunRoutes(ctx.db)],
  // A reviewer's decision is checked like the model's output before the review task completes.
  checkTaskCompletion: (ctx) => reviewCompletionCheck(ctx.db),
  async start(ctx) {
    // Once per start: which deployed agents cannot call their model here, and what to set (nothing when all can).
    await logUnconfiguredAgents(ctx.db, reachOf(ctx.config), ctx.logger).catch((err) => ctx.logger.warn({ err }, 'could not check the model connections of the deployed agents'));
    const worker = startAgentWorker({
      db: ctx.db,
      engine: ctx.engine,
      connection: ctx.redis,
      prefix: ctx.config.queuePrefix,
      reach: reachOf(ctx.config),
      onError: (err) => ctx.logger.warn({ err }, 'agent worker error'),
      onModelCall: ctx.metrics && ((call) => ctx.metrics!.modelCalled(call)),
    });
    const sweep = setInterval(() => {
      cancelOrphanedReviews(ctx.db, ctx.engine).catch((err) => ctx.logger.warn({ err }, 'orphaned agent reviews: sweep failed'));
    }, 5000);
    sweep.unref();
    return async () => {
      clearInterval(sweep);
      await worker.close();
    };
  },
};
