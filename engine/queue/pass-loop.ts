/**
 * The loop every engine runs for work it finds in Postgres (timers, batch
 * operations, history retention): a pass, then a wait the pass chooses —
 * none while passes come back full, a pause, or the poll interval — in a
 * sleep that `stop()` cuts short, and that `wake()` cuts short when the
 * pass said it may (new work committed by this engine: look now). A pass
 * that throws is logged and followed by the wait `afterFailure` gives, so
 * one failure never ends the loop.
 */
import type { Logger } from 'pino';

export interface NextPass {
  /** How long to wait before the next pass; 0: at once. */
  waitMs: number;
  /** Whether `wake()` may cut this wait short (a poll may; a pause that leaves room for other work may not). */
  wakeable?: boolean;
}

export interface PassLoop {
  /** New work is committed: look now (or right after the pass under way), if the wait allows. */
  wake(): void;
  /** Ends the loop: cuts the wait short and waits for the pass under way. */
  stop(): Promise<void>;
}

export function startPassLoop(options: {
  /** What the log calls a pass that failed ("timer sweep"). */
  name: string;
  logger: Logger;
  pass: () => Promise<NextPass>;
  afterFailure: () => NextPass | Promise<NextPass>;
  /** Told first when the loop stops (to let go of claims, say). */
  onStop?: () => void;
}): PassLoop {
  let stopped = false;
  let woken = false;
  let wakeable = false;
  let cut: (() => void) | null = null;

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
      let next: NextPass;
      try {
        next = await options.pass();
      } catch (error) {
        options.logger.warn({ err: error }, `${options.name} failed; will retry`);
        next = await options.afterFailure();
      }
      if (stopped) return;
      // A wake that came during the pass counts: the pass may have missed what it announced.
      if (next.waitMs > 0 && !(next.wakeable && woken)) await sleep(next.waitMs, next.wakeable ?? false);
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
      options.onStop?.();
      cut?.();
      await running;
    },
  };
}
