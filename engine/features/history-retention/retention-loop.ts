/**
 * Drives an engine's history retention on the pass loop every engine runs
 * (engine/queue/pass-loop.ts): a batch, then after
 * the pause another while batches come back full, else a sleep until the
 * poll interval ends. Every engine runs one; SKIP LOCKED keeps them from
 * taking the same instances.
 */
import type { Logger } from 'pino';
import type { RetentionRunner } from './retention-runner.js';
import { startPassLoop, type PassLoop } from '../../queue/pass-loop.js';

export type RetentionLoop = Pick<PassLoop, 'stop'>;

export function startRetentionLoop(runner: Pick<RetentionRunner, 'batch'>, logger: Logger, settings: { batchSize: number; pauseMs: number; pollMs: number }): RetentionLoop {
  return startPassLoop({
    name: 'history retention batch',
    logger,
    pass: async () => ({ waitMs: (await runner.batch()).removed >= settings.batchSize ? settings.pauseMs : settings.pollMs }),
    afterFailure: () => ({ waitMs: settings.pollMs }),
  });
}
