/**
 * Which Weft job a /v2 job key stands for, remembered from the activation
 * that handed the key out, so the worker's completion (its hot path) does
 * not read Postgres just to translate the key back.
 *
 * Safe to cache without invalidation: a key is minted once for one job and
 * never reassigned, and a job's type never changes. Only the translation is
 * cached, never the job's state: the completion still goes through the
 * engine's command, which refuses a job that is no longer held. A key this
 * process did not hand out (another engine activated it, or it was evicted)
 * is read from Postgres as before. Unknown keys are not remembered, so a
 * key minted later is found.
 */
export interface CachedJob {
  /** The Weft job key (jobs.key). */
  id: string;
  type: string;
}

/** Enough for every job a busy engine has out with its workers; ~100 bytes each. */
export const JOB_KEY_CACHE_SIZE = 50_000;

export class JobKeyCache {
  // A Map iterates in insertion order: the first entry is the oldest, evicted first.
  private readonly entries = new Map<string, CachedJob>();

  constructor(private readonly capacity = JOB_KEY_CACHE_SIZE) {}

  get(key: string): CachedJob | undefined {
    return this.entries.get(key);
  }

  remember(key: string, job: CachedJob): void {
    this.entries.delete(key);
    this.entries.set(key, job);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
