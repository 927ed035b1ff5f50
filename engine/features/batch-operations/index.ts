/**
 * Batch operations: an operator's cancel or retry over a search result (or
 * a list of instances), run as a durable background operation. The batch
 * and its items are rows in Postgres (db/migrations/…_batch_operations.ts);
 * every engine works pending items in chunks (batch-runner.ts, driven by
 * batch-loop.ts), so a batch goes on through an engine's restart, another
 * engine, or a Redis that lost everything (Redis holds nothing of it).
 * The kinds are a table (kinds/index.ts), one module each.
 */
import type { Feature } from '../types.js';
import { BatchRepository } from './batch-repository.js';
import { batchRoutes } from './batch-routes.js';
import { BatchRunner } from './batch-runner.js';
import { startBatchLoop, type BatchLoop } from './batch-loop.js';
import { batchSettings } from './batch-settings.js';

/**
 * The loop of each engine in this process, by its engine service: the
 * routes (built apart from the background work) wake their engine's loop.
 * No loop (features' background work off): the batch waits for an engine
 * that runs one.
 */
const loops = new WeakMap<object, BatchLoop>();

export const batchOperationsFeature: Feature = {
  name: 'batch-operations',
  apiRoutes: (ctx) => batchRoutes({ db: ctx.db, repo: new BatchRepository(ctx.db), wake: () => loops.get(ctx.engine)?.wake() }),
  async start(ctx) {
    const settings = batchSettings(ctx.config);
    const runner = new BatchRunner(new BatchRepository(ctx.db), ctx.engine, ctx.logger, settings.chunkSize);
    const loop = startBatchLoop(runner, ctx.logger, settings);
    loops.set(ctx.engine, loop);
    return async () => {
      loops.delete(ctx.engine);
      await loop.stop();
    };
  },
};
