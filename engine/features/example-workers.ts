/**
 * The example processes' workers (connectors/examples), in the engine
 * process unless `WEFT_EXAMPLE_WORKERS=off`: with them, the shipped examples
 * run end to end under `npm start`, their agents' tool calls done as jobs.
 */
import type { Feature } from './types.js';
import { createWorker } from '../worker/create-worker.js';
import { exampleWorkers } from '../../connectors/examples/example-workers.js';

export const exampleWorkersFeature: Feature = {
  name: 'example-workers',
  async start(ctx) {
    if (ctx.config.exampleWorkers === false) return async () => undefined;
    const workers = Object.entries(exampleWorkers).map(([type, handler]) =>
      createWorker(type, handler, { client: ctx.engine, connection: ctx.redis, prefix: ctx.config.queuePrefix, onError: (err) => ctx.logger.warn({ err, type }, 'example worker error') }),
    );
    ctx.logger.info({ types: Object.keys(exampleWorkers) }, 'example workers are on (WEFT_EXAMPLE_WORKERS=off to stop them)');
    return async () => {
      await Promise.all(workers.map((w) => w.close()));
    };
  },
};
