/**
 * Drives an engine's batch work, in the shape of the timer loop
 * (engine/timers/timer-loop.ts): a pass, then at once another while passes
 * come back full (after the configured pause, so a large batch leaves room
 * for the engine's other work), else a sleep until the poll interval ends or
 * someone wakes the loop — the API of this engine does, right after a batch
 * it made is committed. The poll is for work this engine was not told of: a
 * batch made on another engine, items a stopped engine left behind.
 */
import type { Logger } from 'pino';
import type { BatchRunner } from './batch-runner.js';

export interface BatchLoop {
  /** New work is committed: look now (or right after the pass under way). */
  wake(): void;
  stop(): Promise<void>;
}

export function startBatchLoop(runner: BatchRunner, logger: Logger, settings: { chunkSize: number; pollMs: number; pauseMs: number }): BatchLoop {
  let stopped = false;
  let woken = false;
  let cut: (() => void) | null = null;
  let wakeable = false;

  const sleep = (ms: number, canWake: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        cut = null;
        resolve();
      }
      cut = done;
      wakeable = canWake;
    });

  async function loop(): Promise<void> {
    while (!stopped) {
      woken = false;
      let full = false;
      try {
        const pass = await runner.pass();
        if (pass.finished > 0) logger.debug({ finished: pass.finished }, 'batch operation items finished');
        full = pass.claimed >= settings.chunkSize;
      } catch (error) {
        logger.warn({ err: error }, 'batch operations pass failed; will retry');
      }
      if (stopped) return;
      if (full) await sleep(settings.pauseMs, false);
      else if (!woken) await sleep(settings.pollMs, true);
    }
  }

  const running = loop();
  return {
    wake() {
      woken = true;
      if (cut && wakeable) cut();
    },
    async stop() {
      stopped = true;
      runner.stop();
      cut?.();
      await running;
    },
  };
}
