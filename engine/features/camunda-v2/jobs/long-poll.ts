/**
 * Long polling for `POST /v2/jobs/activation`: a request that found no job
 * waits here until new work of its type may be there, and tries again.
 *
 * The wake signal is what the engine already writes: every job it creates or
 * hands back goes out through the outbox to the BullMQ queue of its type
 * (queue/routing.ts), and BullMQ records each add in the queue's event
 * stream (`waiting`; `delayed` with the time it falls due for a retry
 * backoff). One BullMQ QueueEvents per queue that someone is polling reads
 * that stream with a blocking XREAD — one Redis connection per polled queue,
 * no extra write on the engine's hot path, and it hears the dispatches of
 * every engine process sharing the Redis. It is a wake-up, never a source of
 * truth (the stream is trimmed, a connection can drop): activation always
 * reads Postgres, and a slow re-check (RECHECK_MS) wakes one waiter per type
 * anyway, so a lost signal only delays, and a lock that ran out (no event)
 * is found too.
 *
 * A signal wakes one waiter per job type, oldest first, not all of them:
 * 200 idle polls of a type cost one activation attempt when a job arrives.
 * A waiter that filled its batch wakes the next one (there may be more).
 * A wake that finds a waiter busy (mid-activation) is kept on it, so a job
 * committed just after its read is not missed.
 */
import { QueueEvents } from 'bullmq';
import type { RedisClient } from '../../../queue/redis.js';
import { bullQueueName } from '../../../queue/keyspace.js';
import type { Logger } from 'pino';
import { queueForJobType } from '../../../queue/routing.js';

export const RECHECK_MS = 1_000;
/** A queue nobody has polled for this long gives its Redis connection back. */
const IDLE_CLOSE_MS = 30_000;

export type WaitOutcome = 'woken' | 'timeout' | 'aborted';

/** One held request's place in line. */
export class Ticket {
  /** A wake arrived that this ticket has not acted on yet. */
  woken = false;
  private resolve: ((outcome: WaitOutcome) => void) | null = null;

  constructor(readonly type: string) {}

  get waiting(): boolean {
    return this.resolve !== null;
  }

  /** Until woken, `untilMs` (epoch) passes, or the signal aborts; a wake that came while busy answers at once. */
  wait(untilMs: number, signal: AbortSignal): Promise<WaitOutcome> {
    if (signal.aborted) return Promise.resolve('aborted');
    if (this.woken) {
      this.woken = false;
      return Promise.resolve('woken');
    }
    return new Promise((resolve) => {
      const finish = (outcome: WaitOutcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.resolve = null;
        if (outcome === 'woken') this.woken = false;
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), Math.max(0, untilMs - Date.now()));
      signal.addEventListener('abort', onAbort, { once: true });
      this.resolve = finish;
    });
  }

  wake(): void {
    this.woken = true;
    this.resolve?.('woken');
  }
}

/** The waiters of one BullMQ queue (several job types can share one: `agent:*`, names the queue alphabet folds). */
class QueueWaiters {
  readonly tickets: Ticket[] = [];
  private readonly events: QueueEvents;
  private recheck: NodeJS.Timeout | null = null;
  private readonly dueTimers = new Set<NodeJS.Timeout>();
  idleSince = Date.now();

  constructor(queue: string, connection: RedisClient, prefix: string, logger: Logger) {
    this.events = new QueueEvents(bullQueueName(queue, connection), { connection, prefix });
    this.events.on('waiting', () => this.signal());
    // A retry backoff's dispatch: due later, and nothing promotes it while no BullMQ worker serves the queue.
    this.events.on('delayed', ({ delay }: { delay: number }) => {
      const timer = setTimeout(() => {
        this.dueTimers.delete(timer);
        this.signal();
      }, Math.max(0, Number(delay) - Date.now()));
      timer.unref();
      this.dueTimers.add(timer);
    });
    this.events.on('error', (err) => logger.warn({ err, queue }, 'job long poll: event stream error (the re-check still wakes waiters)'));
  }

  add(ticket: Ticket): void {
    this.tickets.push(ticket);
    if (!this.recheck) {
      this.recheck = setInterval(() => this.signal(), RECHECK_MS);
      this.recheck.unref();
    }
  }

  remove(ticket: Ticket): void {
    const at = this.tickets.indexOf(ticket);
    if (at >= 0) this.tickets.splice(at, 1);
    if (this.tickets.length === 0) {
      if (this.recheck) clearInterval(this.recheck);
      this.recheck = null;
      this.idleSince = Date.now();
    }
  }

  /** Wakes the oldest not-yet-woken ticket of each type (or of one type). */
  signal(type?: string): void {
    const seen = new Set<string>();
    for (const ticket of this.tickets) {
      if (seen.has(ticket.type) || (type !== undefined && ticket.type !== type)) continue;
      if (ticket.woken) continue;
      seen.add(ticket.type);
      ticket.wake();
    }
  }

  async close(): Promise<void> {
    if (this.recheck) clearInterval(this.recheck);
    for (const timer of this.dueTimers) clearTimeout(timer);
    for (const ticket of this.tickets) ticket.wake();
    await this.events.close();
  }
}

export class JobWaiters {
  private readonly queues = new Map<string, QueueWaiters>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: { connection: RedisClient; prefix: string; logger: Logger }) {
    this.sweeper = setInterval(() => void this.closeIdle(), IDLE_CLOSE_MS);
    this.sweeper.unref();
  }

  /** Takes a place in line before the first activation attempt, so a wake in between is not lost. */
  enter(type: string): Ticket {
    const ticket = new Ticket(type);
    if (this.closed) return ticket;
    const name = queueForJobType(type);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new QueueWaiters(name, this.options.connection, this.options.prefix, this.options.logger);
      this.queues.set(name, queue);
    }
    queue.add(ticket);
    return ticket;
  }

  leave(ticket: Ticket): void {
    this.queues.get(queueForJobType(ticket.type))?.remove(ticket);
  }

  /** More work of this type may be there (a batch came back full, jobs were handed back). */
  wake(type: string): void {
    this.queues.get(queueForJobType(type))?.signal(type);
  }

  /** How many requests are held, for tests and metrics. */
  get held(): number {
    let n = 0;
    for (const queue of this.queues.values()) n += queue.tickets.length;
    return n;
  }

  private async closeIdle(): Promise<void> {
    for (const [name, queue] of this.queues) {
      if (queue.tickets.length > 0 || Date.now() - queue.idleSince < IDLE_CLOSE_MS) continue;
      this.queues.delete(name);
      await queue.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
  }
}
