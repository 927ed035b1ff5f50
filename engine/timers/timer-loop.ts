/**
 * Drives the timer sweep: a pass, then at once another while passes come
 * back full (a burst of timers due together), else a sleep until the next
 * timer is due or the poll interval ends, whichever is sooner. The poll
 * bounds how late a timer armed by another step or engine since the last
 * look can fire; a timer already known fires on time.
 */
import type { Logger } from 'pino';
import type { TimerSweep } from './timer-sweep.js';
import { startPassLoop } from '../queue/pass-loop.js';

/**
 * Shortest sleep before looking again at a timer that is already due but was
 * not fired: another engine is firing it, or its instance is busy with a
 * command for a moment.
 */
const OVERDUE_RETRY_MS = 25;

export function startTimerLoop(sweep: TimerSweep, logger: Logger, pollMs: number): { stop(): Promise<void> } {
  async function untilNext(): Promise<number> {
    try {
      const next = await sweep.nextDue();
      if (!next) return pollMs;
      return Math.max(Math.min(OVERDUE_RETRY_MS, pollMs), Math.min(pollMs, next.getTime() - Date.now()));
    } catch {
      return pollMs;
    }
  }

  return startPassLoop({
    name: 'timer sweep',
    logger,
    async pass() {
      const pass = await sweep.sweep();
      if (pass.fired > 0) logger.debug({ fired: pass.fired }, 'timers fired');
      return { waitMs: pass.full && pass.fired > 0 ? 0 : await untilNext() };
    },
    afterFailure: async () => ({ waitMs: await untilNext() }),
  });
}
