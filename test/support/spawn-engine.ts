import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./engine-process.ts', import.meta.url));

export interface EngineProcess {
  child: ChildProcess;
  output: string[];
  /** Resolves when the process printed a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | string | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts test/support/engine-process.ts as a separate OS process. */
export function spawnEngine(env: Record<string, string>): EngineProcess {
  return spawnScript(entry, env);
}

/** Starts a TypeScript file (run by tsx) as a separate OS process, with its output collected. */
export function spawnScript(file: string, env: Record<string, string>): EngineProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  // A line may arrive in two chunks: keep the unfinished tail until its newline comes.
  const tails = new Map<unknown, string>();
  const onData = function (this: unknown, chunk: Buffer) {
    const lines = ((tails.get(this) ?? '') + chunk.toString()).split('\n');
    tails.set(this, lines.pop()!);
    for (const line of lines.filter(Boolean)) {
      output.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return {
    child,
    output,
    exited,
    kill: (signal = 'SIGKILL') => child.kill(signal),
    waitFor(pattern, timeoutMs = 60_000) {
      if (output.some((l) => pattern.test(l))) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`engine process did not print ${pattern} within ${timeoutMs} ms; output:\n${output.join('\n')}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then((how) => reject(new Error(`engine process exited (${how}) before printing ${pattern}; output:\n${output.join('\n')}`)));
      });
    },
  };
}
