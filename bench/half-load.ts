/**
 * Dispatch latency at half the maximum throughput: the closed-loop run finds
 * how fast the engine can go; latency measured there is mostly queueing (128
 * instances in flight wait for each other). Here instances are started at a
 * fixed rate, half that maximum (an open loop, as real traffic arrives), and
 * the time from a job's creation to its worker's handler is measured for the
 * jobs of this phase only, with where it went (dispatch-stages.ts).
 */
import type { Weft } from '../engine/weft.js';
import { percentile } from './stats.js';
import { dispatchStages, type DispatchStages, type StageMarks } from './dispatch-stages.js';

export interface HalfLoadFigures {
  instancesPerSec: number;
  instances: number;
  dispatchP50: number;
  dispatchP99: number;
  /** Where the dispatch latency went (dispatch-stages.ts). */
  stages: DispatchStages;
}

/**
 * Starts `rate` instances per second for `seconds`, waits until they are all
 * completed, and reads the dispatch latency of their jobs. `pickedUp` is
 * where the bench's workers note when they got each job.
 */
export async function halfLoad(weft: Weft, pickedUp: Map<string, number>, marks: StageMarks, rate: number, seconds: number, variables: (i: number) => Record<string, unknown>): Promise<HalfLoadFigures> {
  const total = Math.max(1, Math.round(rate * seconds));
  const ids: string[] = [];
  const failures: unknown[] = [];
  const began = performance.now();
  let launched = 0;
  // Every 10 ms, as many as the rate asks for by now: a steady arrival, not bursts.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * rate));
      for (; launched < due; launched++) {
        weft.engine.startInstance({ processId: 'bench-three-tasks', variables: variables(launched) }, 'bench').then((s) => ids.push(s.id), (e) => failures.push(e));
      }
      if (launched >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  for (;;) {
    if (failures.length > 0) throw failures[0];
    if (ids.length === total) {
      const [{ count }] = await weft.db('process_instances').whereIn('id', ids).andWhere({ status: 'COMPLETED' }).count({ count: '*' });
      if (Number(count) === total) break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const jobs = await weft.db('jobs').whereIn('process_instance_id', ids).select('key', 'created_at');
  const latency = jobs.filter((j) => pickedUp.has(j.key)).map((j) => pickedUp.get(j.key)! - j.created_at.getTime());
  return { instancesPerSec: rate, instances: total, dispatchP50: percentile(latency, 50), dispatchP99: percentile(latency, 99), stages: dispatchStages(jobs, marks, pickedUp) };
}
