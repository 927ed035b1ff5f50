/**
 * A promise that settles as `promise` does, or rejects after `ms` with the
 * error `late()` makes. The timer is cleared when the promise settles first,
 * and never keeps the process alive. The work itself is not canceled: a
 * caller that must not pile it up shares one attempt (see EngineService.health).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, late: () => Error = () => new Error(`no answer within ${ms} ms`)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
