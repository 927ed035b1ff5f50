/**
 * The soak's child processes (two engines with the REST API, one worker
 * process), each of which can be killed with SIGKILL and started again on the
 * same port. A start that fails (Postgres is down just then) is tried again.
 */
import { fileURLToPath } from 'node:url';
import { spawnEngine, spawnScript, type EngineProcess } from '../../test/support/spawn-engine.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

export interface Restartable {
  name: string;
  /** Server errors the process reported ("server-error …" lines) over all its lives (SOAK_VERBOSE: its other output is logged too). */
  serverErrors(): string[];
  start(): Promise<void>;
  kill(): Promise<void>;
  /** SIGKILL, a pause, start again; restarts of one process never overlap (a second one waits for the first). */
  restart(pauseMs: number): Promise<void>;
}

function restartable(name: string, launch: () => EngineProcess, log: (line: string) => void): Restartable {
  let current: EngineProcess | null = null;
  const errors: string[] = [];
  let seen = 0;
  let restarting: Promise<void> = Promise.resolve();
  const collect = () => {
    if (!current) return;
    const lines = current.output.slice(seen);
    seen = current.output.length;
    for (const line of lines) {
      if (line.startsWith('server-error')) errors.push(line);
      if (process.env.SOAK_VERBOSE && line !== 'ready') log(`${name}: ${line.slice(0, 500)}`);
    }
  };
  const self: Restartable = {
    name,
    serverErrors: () => (collect(), errors),
    async start() {
      for (let attempt = 1; ; attempt++) {
        const starting = launch();
        current = starting;
        seen = 0;
        try {
          // Generous: a loaded machine takes long to load the engine (tsx, LangChain, bpmn-moddle).
          await starting.waitFor(/^ready$/, 180_000);
          return;
        } catch (error) {
          collect();
          starting.kill();
          await starting.exited;
          if (attempt >= 20) throw new Error(`${name} did not start after ${attempt} attempts: ${String(error).slice(0, 2000)}`);
          log(`${name} did not start (attempt ${attempt}); trying again`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    },
    async kill() {
      if (!current) return;
      const dying = current;
      dying.kill('SIGKILL');
      await dying.exited;
      collect();
      current = null;
    },
    restart(pauseMs) {
      restarting = restarting.then(async () => {
        await self.kill();
        await new Promise((r) => setTimeout(r, pauseMs));
        await self.start();
      });
      return restarting;
    },
  };
  return self;
}

export function engineProcess(name: string, env: { databaseUrl: string; redisUrl: string; prefix: string; port: number }, log: (line: string) => void): Restartable {
  return restartable(
    name,
    () =>
      spawnEngine({
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        WEFT_QUEUE_PREFIX: env.prefix,
        HTTP_PORT: String(env.port),
        LOG_LEVEL: process.env.SOAK_VERBOSE ? 'warn' : 'silent',
      }),
    log,
  );
}

export function workerProcess(env: { engineUrls: string[]; redisUrl: string; prefix: string }, log: (line: string) => void): Restartable {
  return restartable(
    'workers',
    () => spawnScript(WORKER_ENTRY, { ENGINE_URLS: env.engineUrls.join(','), REDIS_URL: env.redisUrl, WEFT_QUEUE_PREFIX: env.prefix }),
    log,
  );
}
