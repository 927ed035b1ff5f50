/**
 * Drives an engine's history retention in the shape of the batch
 * operations' loop (batch-operations/batch-loop.ts): a batch, then after
 * the pause another while batches come back full, else a sleep until the
 * poll interval ends. Every engine runs one; SKIP LOCKED keeps them from
 * taking the same instances.
 */
import type { Logger } from 'pino';
import type { RetentionRunner } from './retention-runner.js';

export interface RetentionLoop {
  stop(): Promise<void>;
}

export function startRetentionLoop(runner: Pick<RetentionRunner, 'batch'>, logger: Logger, settings: { batchSize: number; pauseMs: number; pollMs: number }): RetentionLoop {
  let stopped = false;
  let cut: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        cut = null;
        resolve();
      }
      cut = done;
    });

  async function loop(): Promise<void> {
    while (!stopped) {
      let full = false;
      try {
        full = (await runner.batch()).removed >= settings.batchSize;
      } catch (error) {
        logger.warn({ err: error }, 'history retention batch failed; will retry');
      }
      if (stopped) return;
      await sleep(full ? settings.pauseMs : settings.pollMs);
    }
  }

  const running = loop();
  return {
    async stop() {
      stopped = true;
      cut?.();
      await running;
    },
  };
}
