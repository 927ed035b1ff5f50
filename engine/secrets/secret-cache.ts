/**
 * What the resolvers of this process may keep between two reads of a secret.
 *
 * Several engine processes share one database, and a secret set through one
 * of them is not announced to the others: so an entry lives at most
 * `SECRET_CACHE_MS` (another process sees a change within that time), and in
 * this process any write (set, delete, rotate) ends every entry at once —
 * writes are rare, so forgetting all of them costs nothing worth a finer rule.
 */
export const SECRET_CACHE_MS = 5_000;
/** Entries per resolver; past it the oldest goes (a cache, not a copy of the table). */
export const SECRET_CACHE_ENTRIES = 1_000;

let generation = 0;

/** Called after a write to the secrets table commits in this process. */
export function secretsChanged(): void {
  generation += 1;
}

interface Entry {
  value: string | undefined;
  until: number;
  generation: number;
}

export class SecretCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number = SECRET_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** `{value}` for a fresh entry (the value may be undefined: "no such secret"), or undefined. */
  get(name: string): { value: string | undefined } | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (entry.generation !== generation || entry.until <= this.now()) {
      this.entries.delete(name);
      return undefined;
    }
    return { value: entry.value };
  }

  set(name: string, value: string | undefined): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(name);
    if (this.entries.size >= SECRET_CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(name, { value, until: this.now() + this.ttlMs, generation });
  }
}
