/**
 * Which instances changed, from every engine process to every page
 * connected to any of them (the operations page's live updates, issue #12).
 *
 * Redis pub/sub, not Postgres LISTEN/NOTIFY: a NOTIFY is sent at commit
 * under a lock every notifying transaction of the database shares, so it
 * would put a queue in front of every token move of every engine — the hot
 * path this feed only observes. Here a commit adds its instance ids to a set
 * in memory (CommandPath.onChanged, no I/O) and the set goes out as one
 * PUBLISH per FLUSH_MS, after the commit, off the command's path.
 *
 * What goes out is a hint (ids, no state): a page refetches what it shows.
 * Pub/sub delivers at most once — a message lost while Redis reconnects
 * costs a page one refresh, never the truth, which stays in Postgres; and a
 * page that reconnects refetches everything.
 */
import type { RedisClient } from './redis.js';
import type { Logger } from 'pino';

/** One message per flush; past this many ids it says "everything" instead of listing them. */
export const MAX_IDS_PER_MESSAGE = 200;
const FLUSH_MS = 50;

export type Change = { ids: string[] } | { all: true };
export type ChangeListener = (change: Change) => void;

export class ChangeFeed {
  private pending = new Set<string>();
  private overflow = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Map<ChangeListener, (() => void) | undefined>();
  private subscriber: RedisClient | undefined;

  constructor(
    private readonly deps: {
      /** Publishes (a command connection). */
      publisher: RedisClient;
      /** Duplicated for the subscription: a subscribed connection can do nothing else. */
      subscriberOf: () => RedisClient;
      /** Per deployment (the queue prefix), so engines of another Weft on the same Redis stay apart. */
      channel: string;
      logger: Logger;
    },
  ) {}

  /** A commit changed these instances (called on the command's path: no I/O here). */
  changed(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.pending.size >= MAX_IDS_PER_MESSAGE) {
        this.overflow = true;
        break;
      }
      this.pending.add(id);
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Starts receiving what every engine publishes. */
  async start(): Promise<void> {
    const subscriber = this.deps.subscriberOf();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, text: string) => this.received(text));
    subscriber.on('error', (err) => this.deps.logger.debug({ err }, 'change feed subscriber: Redis error; it reconnects'));
    await subscriber.subscribe(this.deps.channel);
  }

  /**
   * Calls `listener` with every change published (by any engine), and
   * `ended` when this engine stops (so a stream ends and the HTTP server can
   * close); returns how to stop listening.
   */
  listen(listener: ChangeListener, ended?: () => void): () => void {
    this.listeners.set(listener, ended);
    return () => void this.listeners.delete(listener);
  }

  /** Ends every listener's stream: the engine is stopping. */
  endStreams(): void {
    const ends = [...this.listeners.values()];
    this.listeners.clear();
    for (const end of ends) end?.();
  }

  get listening(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.endStreams();
    if (this.subscriber?.status === 'ready') await this.subscriber.quit();
    else this.subscriber?.disconnect();
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const change: Change = this.overflow ? { all: true } : { ids: [...this.pending] };
    this.pending = new Set();
    this.overflow = false;
    try {
      await this.deps.publisher.publish(this.deps.channel, JSON.stringify(change));
    } catch (err) {
      // Only a hint is lost: pages refresh on their next change, or when they reconnect.
      this.deps.logger.debug({ err }, 'publishing instance changes failed');
    }
  }

  private received(text: string): void {
    let change: Change;
    try {
      const parsed = JSON.parse(text) as Partial<{ ids: unknown; all: unknown }>;
      if (parsed.all === true) change = { all: true };
      else if (Array.isArray(parsed.ids) && parsed.ids.every((id) => typeof id === 'string')) change = { ids: parsed.ids as string[] };
      else return;
    } catch {
      return;
    }
    for (const listener of this.listeners.keys()) listener(change);
  }
}
