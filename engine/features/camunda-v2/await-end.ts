/**
 * awaitCompletion: the create call answers once the instance has ended. The
 * engine has no in-process signal for "this instance ended" that reaches
 * every engine process, so this reads the instance with a bounded backoff
 * (25 ms doubling to 500 ms): a process that ends at once answers within a
 * few milliseconds, and a long wait costs two reads a second, not a tight
 * loop. Past the timeout the answer is a 504, as Camunda's gateway gives.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineApi, InstanceDetail } from '../../service/types.js';

/** What `requestTimeout: 0` (or none) waits: the gateway default the clients assume. */
export const DEFAULT_AWAIT_MS = 10_000;

export class AwaitTimeout extends Error {
  readonly status = 504;
  constructor(readonly waitedMs: number) {
    super(`The process instance did not end within ${waitedMs} ms (requestTimeout); it is still running`);
  }
}

/** The ended instance; null when `gone` fired first (the client left). */
export async function awaitEnd(engine: EngineApi, instanceId: string, requestTimeout: number | undefined, gone?: AbortSignal): Promise<InstanceDetail | null> {
  const timeout = requestTimeout && requestTimeout > 0 ? requestTimeout : DEFAULT_AWAIT_MS;
  const deadline = Date.now() + timeout;
  let delay = 25;
  for (;;) {
    if (gone?.aborted) return null;
    const instance = await engine.getInstance(instanceId);
    if (instance.state !== 'ACTIVE') return instance;
    const left = deadline - Date.now();
    if (left <= 0) throw new AwaitTimeout(timeout);
    try {
      await sleep(Math.min(delay, left), undefined, { signal: gone });
    } catch {
      return null;
    }
    delay = Math.min(delay * 2, 500);
  }
}
