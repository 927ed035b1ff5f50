/**
 * Where a job's dispatch latency goes (issue #13's p99 target): the time from
 * its creation to its worker's handler, cut at the two hand-offs the bench can
 * see from outside the engine:
 *
 * - **created → relayed**: the step's transaction (the write and its commit,
 *   with whatever it waited for: a batch slot, a lock, the CPU) and the
 *   outbox relay's enqueue into Redis, until `addBulk` answered;
 * - **relayed → fetched**: the message waiting in BullMQ until a worker moved
 *   it to active (BullMQ's `active` event);
 * - **fetched → handler**: the worker's own queue (a message fetched along
 *   with the previous one's completion waits for BullMQ's loop) and the
 *   job's activation in the engine (a Postgres write), until the handler ran.
 *
 * All three are Date.now() readings, as the job's `created_at` is.
 */
import type { Dispatcher } from '../engine/queue/dispatcher.js';
import type { WeftWorker } from '../engine/worker/create-worker.js';
import { percentile } from './stats.js';

export interface StageMarks {
  relayed: Map<string, number>;
  fetched: Map<string, number>;
}

export interface StageFigures {
  p50: number;
  p99: number;
}

export interface DispatchStages {
  createdToRelayed: StageFigures;
  relayedToFetched: StageFigures;
  fetchedToHandler: StageFigures;
}

export function stageMarks(): StageMarks {
  return { relayed: new Map(), fetched: new Map() };
}

/**
 * Notes when each job's message was enqueued. The bench wraps the engine's
 * dispatcher (a member of the Weft it started) because the relay has no
 * event of its own; the wrapper adds one Map write per message.
 */
export function markRelays(dispatcher: Dispatcher, marks: StageMarks): void {
  const dispatch = dispatcher.dispatch.bind(dispatcher);
  dispatcher.dispatch = async (items, options) => {
    await dispatch(items, options);
    const at = Date.now();
    for (const item of items) {
      if (typeof item.payload?.jobKey === 'string') marks.relayed.set(item.payload.jobKey, at);
    }
  };
}

/** Notes when a worker fetched each job's message (BullMQ's `active` event). */
export function markFetches(worker: WeftWorker, marks: StageMarks): void {
  worker.bullmq.on('active', (message) => marks.fetched.set((message.data as { jobKey: string }).jobKey, Date.now()));
}

/** The stages of the jobs given (key, created_at) that went through all of them. */
export function dispatchStages(jobs: { key: string; created_at: Date }[], marks: StageMarks, pickedUp: Map<string, number>): DispatchStages {
  const toRelayed: number[] = [];
  const toFetched: number[] = [];
  const toHandler: number[] = [];
  for (const job of jobs) {
    const relayed = marks.relayed.get(job.key);
    const fetched = marks.fetched.get(job.key);
    const handled = pickedUp.get(job.key);
    if (relayed === undefined || fetched === undefined || handled === undefined) continue;
    toRelayed.push(relayed - job.created_at.getTime());
    toFetched.push(fetched - relayed);
    toHandler.push(handled - fetched);
  }
  const figures = (values: number[]): StageFigures => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  return { createdToRelayed: figures(toRelayed), relayedToFetched: figures(toFetched), fetchedToHandler: figures(toHandler) };
}
