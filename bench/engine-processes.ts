/**
 * The engine processes of `npm run bench -- --engines N`, seen from the
 * driver: forks bench-engine-process.ts N times on one database and Redis
 * prefix, and speaks the small IPC protocol below with each. An engine that
 * fails or exits before it is told to stop fails the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./bench-engine-process.ts', import.meta.url));

/** What the driver tells an engine process. */
export type ToEngine = { type: 'go'; first: number } | { type: 'report' } | { type: 'stop' };

/** What an engine process tells the driver. */
export type ToDriver =
  | { type: 'ready' }
  | { type: 'report'; started: number; cpuMs: number; pickedUp: [string, number][] }
  | { type: 'failed'; error: string };

export type EngineReport = Extract<ToDriver, { type: 'report' }>;

export interface BenchEngine {
  /** 1-based, as its workers name themselves: `bench-engine-<engine>:<type>`. */
  engine: number;
  pid: number;
  /** Starts its share of the first instances (`first` of them) and its CPU reading. */
  go(first: number): void;
  report(): Promise<EngineReport>;
  /** Closes the engine and waits for its process to exit. */
  stop(): Promise<void>;
  kill(): void;
}

export interface Where {
  databaseUrl: string;
  queuePrefix: string;
  /** The Redis key whose INCR hands out the next instance number to whichever engine asks. */
  ticketKey: string;
  instances: number;
}

/** Forks `count` engine processes and resolves once each says its workers are up; `failure()` then holds the first failure, if any. */
export async function startBenchEngines(count: number, where: Where): Promise<{ engines: BenchEngine[]; failure: () => Error | undefined }> {
  let failed: Error | undefined;
  const engines = Array.from({ length: count }, (_, i) => benchEngine(i + 1, where, (e) => (failed ??= e)));
  try {
    await Promise.all(engines.map((e) => e.ready));
  } catch (error) {
    for (const e of engines) e.kill();
    throw error;
  }
  return { engines, failure: () => failed };
}

function benchEngine(engine: number, where: Where, onFailure: (error: Error) => void): BenchEngine & { ready: Promise<void> } {
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATABASE_URL: where.databaseUrl,
      WEFT_QUEUE_PREFIX: where.queuePrefix,
      BENCH_ENGINE: String(engine),
      BENCH_INSTANCES: String(where.instances),
      BENCH_TICKET_KEY: where.ticketKey,
    },
  });
  let stopping = false;
  let killed = false;
  const waiting = new Map<ToDriver['type'], { resolve: (m: any) => void; reject: (e: Error) => void }>();
  const fail = (error: Error) => {
    onFailure(error);
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const next = <T extends ToDriver['type']>(type: T) => new Promise<Extract<ToDriver, { type: T }>>((resolve, reject) => waiting.set(type, { resolve, reject }));
  const ready = next('ready');
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!killed && (!stopping || code !== 0)) fail(new Error(`bench engine ${engine} (pid ${child.pid}) exited (${signal ?? code}) ${stopping ? 'while stopping' : 'during the bench'}`));
      resolve();
    }),
  );
  child.on('message', (message: ToDriver) => {
    if (message.type === 'failed') return fail(new Error(`bench engine ${engine} (pid ${child.pid}) failed: ${message.error}`));
    const w = waiting.get(message.type);
    waiting.delete(message.type);
    w?.resolve(message);
  });
  const send = (message: ToEngine) => child.send(message);
  return {
    engine,
    pid: child.pid!,
    ready: ready.then(() => undefined),
    go: (first) => send({ type: 'go', first }),
    report: () => {
      const answer = next('report');
      send({ type: 'report' });
      return answer;
    },
    stop: async () => {
      stopping = true;
      send({ type: 'stop' });
      await exited;
    },
    kill: () => {
      killed = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
