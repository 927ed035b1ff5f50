/**
 * Gathers calls made in the same tick (up to `maxBatch`) and runs them as one
 * batch: under load, many workers complete at once and one transaction can
 * carry them all; when idle, a batch is a single call with no added wait.
 *
 * `run` settles every item itself (resolve or reject); if it throws, every
 * item of the batch not yet settled is rejected with that error.
 */
import type { Context } from '@opentelemetry/api';
import { activeContext } from '../observability/tracing/tracing.js';

export interface BatchItem<I, O> {
  input: I;
  /** The submitter's trace context (tracing on): the item's work is traced as its caller's, not as the batch's first caller's. */
  context?: Context;
  resolve(value: O): void;
  reject(error: unknown): void;
  settled?: boolean;
}

export class MicroBatcher<I, O> {
  private queue: BatchItem<I, O>[] = [];
  private scheduled = false;
  private running = 0;

  constructor(
    private readonly run: (batch: BatchItem<I, O>[]) => Promise<void>,
    private readonly maxBatch = 64,
    /** Batches in flight at once (each holds a database connection). */
    private readonly maxConcurrent = 4,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const item: BatchItem<I, O> = {
        input,
        context: activeContext(),
        resolve: (v) => {
          item.settled = true;
          resolve(v);
        },
        reject: (e) => {
          item.settled = true;
          reject(e);
        },
      };
      this.queue.push(item);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.maxConcurrent || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < this.maxConcurrent && this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        this.running++;
        this.run(batch)
          .catch((error) => {
            for (const item of batch) if (!item.settled) item.reject(error);
          })
          .finally(() => {
            this.running--;
            this.schedule();
          });
      }
    });
  }
}
