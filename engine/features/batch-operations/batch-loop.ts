/**
 * Drives an engine's batch work on the pass loop every engine runs
 * (engine/queue/pass-loop.ts): a pass, then at once another while passes
 * come back full (after the configured pause, so a large batch leaves room
 * for the engine's other work), else a sleep until the poll interval ends or
 * someone wakes the loop — the API of this engine does, right after a batch
 * it made is committed. The poll is for work this engine was not told of: a
 * batch made on another engine, items a stopped engine left behind.
 */
import type { Logger } from 'pino';
import type { BatchRunner } from './batch-runner.js';
import { startPassLoop, type PassLoop } from '../../queue/pass-loop.js';

export type BatchLoop = PassLoop;

export function startBatchLoop(runner: BatchRunner, logger: Logger, settings: { chunkSize: number; pollMs: number; pauseMs: number }): BatchLoop {
  return startPassLoop({
    name: 'batch operations pass',
    logger,
    async pass() {
      const pass = await runner.pass();
      if (pass.finished > 0) logger.debug({ finished: pass.finished }, 'batch operation items finished');
      // Full: the pause leaves room for the engine's other work, and no wake cuts it. Else a poll this engine's API may cut short.
      return pass.claimed >= settings.chunkSize ? { waitMs: settings.pauseMs } : { waitMs: settings.pollMs, wakeable: true };
    },
    afterFailure: () => ({ waitMs: settings.pollMs, wakeable: true }),
    onStop: () => runner.stop(),
  });
}
