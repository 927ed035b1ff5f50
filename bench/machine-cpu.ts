/**
 * The whole machine's CPU time (every process: Node, Postgres, Redis) from
 * /proc/stat, around a measured phase: what a completed instance costs in
 * all, not only in the engine's process. Null where /proc/stat is missing
 * (not Linux), so the bench still runs and says so.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc/stat's counters, 100 per second on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** Busy ticks so far: user, nice, system, irq, softirq, steal (not idle, not iowait). */
function busyTicks(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return user + nice + system + irq + softirq + (steal || 0);
  } catch {
    return null;
  }
}

/** Starts a measurement; the returned function gives the busy CPU milliseconds since (null off Linux). */
export function machineCpu(): () => number | null {
  const before = busyTicks();
  return () => {
    const after = busyTicks();
    return before === null || after === null ? null : ((after - before) * 1000) / TICKS_PER_SECOND;
  };
}
