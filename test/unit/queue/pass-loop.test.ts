/** The loop every engine runs for work in Postgres (engine/queue/pass-loop.ts). */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startPassLoop, type NextPass } from '../../../engine/queue/pass-loop.js';

const logger = pino({ level: 'silent' });
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the pass loop', () => {
  it('passes again at once while the pass says so, then waits as it says', async () => {
    const waits: NextPass[] = [{ waitMs: 0 }, { waitMs: 0 }, { waitMs: 60_000 }];
    let passes = 0;
    const loop = startPassLoop({ name: 'test', logger, pass: async () => waits[passes++] ?? { waitMs: 60_000 }, afterFailure: () => ({ waitMs: 60_000 }) });
    await until(() => passes === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(passes).toBe(3);
    await loop.stop();
  });

  it('is woken out of a poll, not out of a pause', async () => {
    let passes = 0;
    let next: NextPass = { waitMs: 60_000, wakeable: false };
    const loop = startPassLoop({ name: 'test', logger, pass: async () => (passes++, next), afterFailure: () => next });
    await until(() => passes === 1);
    loop.wake();
    await new Promise((r) => setTimeout(r, 50));
    expect(passes, 'a pause is not cut short').toBe(1);
    await loop.stop();

    passes = 0;
    next = { waitMs: 60_000, wakeable: true };
    const polling = startPassLoop({ name: 'test', logger, pass: async () => (passes++, next), afterFailure: () => next });
    await until(() => passes === 1);
    polling.wake();
    await until(() => passes === 2);
    await polling.stop();
  });

  it('goes on after a pass that throws, after the wait afterFailure gives, and stops within the wait', async () => {
    let passes = 0;
    const loop = startPassLoop({
      name: 'test',
      logger,
      pass: async () => {
        passes++;
        if (passes === 1) throw new Error('boom');
        return { waitMs: 60_000 };
      },
      afterFailure: () => ({ waitMs: 10 }),
    });
    await until(() => passes === 2);
    const stopping = Date.now();
    await loop.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
  });
});
