/**
 * The CPU time Postgres spends for one engine: the user and system time of
 * the database's backends (the engine's pool, on the same machine), read
 * from /proc/<pid>/stat. Per process, so other work on a shared machine does
 * not count; the WAL writer and checkpointer are not included. Sampled every
 * second, since the pool closes idle connections (and their counters go
 * with them). Null where /proc is missing or the server is on another host.
 */
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';

/** USER_HZ: the unit of /proc/<pid>/stat's times, 100 per second on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 1000;

/** Starts sampling; the returned function stops and gives the backends' CPU milliseconds since (null if unreadable). */
export function backendCpu(db: Knex): () => Promise<number | null> {
  // Backends there at the start count from what they had used by then; those that come later, from zero.
  let first: Map<number, number> | undefined;
  const last = new Map<number, number>();
  let readable = true;
  const sample = async () => {
    const { rows } = await db.raw('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
    for (const { pid } of rows as { pid: number }[]) {
      const ticks = cpuTicks(pid);
      if (ticks === null) readable = false;
      else last.set(pid, ticks);
    }
    first ??= new Map(last);
  };
  const started = sample();
  const timer = setInterval(() => void sample().catch(() => (readable = false)), SAMPLE_MS);
  return async () => {
    clearInterval(timer);
    await started;
    await sample();
    if (!readable) return null;
    let ticks = 0;
    for (const [pid, end] of last) ticks += end - (first?.get(pid) ?? 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  };
}

function cpuTicks(pid: number): number | null {
  try {
    // After the command name (in parentheses, may hold spaces) come the fields from the 3rd on: utime and stime are the 14th and 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}
