/**
 * A wall-time bound on a synchronous function: the one place the runtime
 * depends on time.
 *
 * `node:vm` runs a script with a `timeout`: a watchdog thread asks V8 to
 * terminate the script when it runs past it, and V8 stops whatever JavaScript
 * the script called, here feelin's interpreter in the main realm, at its next
 * loop or call (a termination cannot be caught by the code it stops, so
 * feelin cannot swallow it). It is a safety bound, not an input: a function
 * that finishes within the bound returns what it returns without it; one that
 * does not fails. It adds a watchdog thread per call (see bench/feel-limits.ts).
 *
 * The bound is wall time, and a busy machine (or a GC pause) stretches a
 * good evaluation past it. So an attempt that was stopped while its process
 * got less than `STARVED` of the attempt's wall time as CPU (it waited more
 * than it ran) is tried again with twice the time, up to `MAX_STRETCH` times
 * the bound; an attempt that used the CPU (a runaway expression) ends it.
 * Unloaded, a runaway expression is stopped after one attempt; starved, the
 * engine is slowed by the machine anyway. Evaluations are pure, so trying
 * again is safe.
 *
 * Interrupted too: a regular expression backtracking (V8 checks for
 * termination in its regexp engine; form patterns rely on it). Not
 * interrupted: a single native operation such as copying or comparing a long
 * string; the size bounds (feel-guards.ts) keep those small.
 */
import { createContext, Script } from 'node:vm';

export type Timed<T> = { ok: true; value: T } | { ok: false };

const sandbox = createContext(Object.create(null) as object);
const script = new Script('run()', { filename: 'weft-feel-sandbox' });
let job: (() => unknown) | undefined;
(sandbox as { run: () => unknown }).run = () => job!();

const STARVED = 0.75;
const MAX_STRETCH = 2;

/** Runs `fn` with a bound of `timeMs`; `{ ok: false }` if it ran past it. Errors `fn` throws propagate. */
export function withinTime<T>(timeMs: number, fn: () => T): Timed<T> {
  // Nested calls (a FEEL function that evaluates FEEL) run under the outer bound.
  if (job !== undefined) return { ok: true, value: fn() };
  for (let bound = timeMs; ; bound *= 2) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const timed = runOnce(bound, fn);
    if (timed.ok || bound * 2 > timeMs * MAX_STRETCH) return timed;
    const cpu = process.cpuUsage(cpuBefore);
    if ((cpu.user + cpu.system) / 1000 >= (performance.now() - started) * STARVED) return timed;
  }
}

function runOnce<T>(timeMs: number, fn: () => T): Timed<T> {
  job = fn;
  try {
    return { ok: true, value: script.runInContext(sandbox, { timeout: timeMs }) as T };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { ok: false };
    throw err;
  } finally {
    job = undefined;
  }
}
