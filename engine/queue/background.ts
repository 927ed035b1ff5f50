/**
 * The engine's background duties, run by every engine process (no leader):
 * relay the outbox, hand out again jobs whose worker timed out, re-drive
 * work Redis lost, and fire due timers. Each loop runs on its own timer and
 * never overlaps itself.
 */
import type { Logger } from 'pino';
import type { OutboxRelay } from './outbox-relay.js';
import type { Redriver } from './redrive.js';
import type { TimerSweep } from '../timers/timer-sweep.js';
import { startTimerLoop } from '../timers/timer-loop.js';

export interface BackgroundOptions {
  outboxSweepMs?: number;
  timeoutSweepMs?: number;
  redisCheckMs?: number;
  missingCheckMs?: number;
  /** Longest wait between two looks for due timers (WEFT_TIMER_POLL_MS); a timer already known fires on time. */
  timerPollMs?: number;
  /** Buffered messages left undelivered by a stopped engine, and expired ones (engine/messages). */
  messageSweepMs?: number;
}

/** A further duty of every engine (the messages' sweeps, the call activities' notes): `work` answers how many things it did, for the log. */
export interface BackgroundDuty {
  name: string;
  everyMs: number;
  work: () => Promise<number>;
}

export function startBackground(
  relay: OutboxRelay,
  redriver: Redriver,
  logger: Logger,
  options: BackgroundOptions = {},
  timers?: TimerSweep,
  duties: BackgroundDuty[] = [],
): { stop(): Promise<void> } {
  const loops = [
    every('outbox sweep', options.outboxSweepMs ?? 1000, () => relay.sweep()),
    every('job timeouts', options.timeoutSweepMs ?? 1000, () => redriver.requeueTimedOut()),
    every('redis check', options.redisCheckMs ?? 2000, () => redriver.redriveIfRedisLost()),
    every('missing jobs', options.missingCheckMs ?? 30_000, () => redriver.redriveMissing()),
    ...duties.map((d) => every(d.name, d.everyMs, d.work)),
  ];
  const timerLoop = timers ? startTimerLoop(timers, logger, options.timerPollMs ?? 500) : null;

  function every(name: string, ms: number, work: () => Promise<number>) {
    let running: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = work()
        .then((n) => {
          if (n > 0) logger.info({ count: n }, `${name}: ${n} done`);
        })
        .catch((err) => logger.warn({ err }, `${name} failed; will retry`))
        .finally(() => (running = null));
    }, ms);
    timer.unref();
    return { timer, wait: () => running ?? Promise.resolve() };
  }

  return {
    async stop() {
      for (const loop of loops) clearInterval(loop.timer);
      await Promise.all([...loops.map((l) => l.wait()), timerLoop?.stop()]);
    },
  };
}
