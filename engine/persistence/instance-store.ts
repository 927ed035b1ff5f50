/**
 * Where an instance's state lives in Postgres, and how a step gets it and
 * gives it back.
 *
 * The state is split: the instance row's `state` document holds its header
 * (status, incidents, counters, parent link), and each live element
 * instance, job and wait is a row of `instance_entries`. A step writes back
 * the entries it touched (runtime/state-index.ts watches them), so its cost
 * follows what it did, not how large the instance is.
 *
 * Reading all entries is still as large as the instance. For instances large
 * enough for that to matter, the state a command leaves is kept in memory
 * (StateCache) with the row's `revision`; the next command that locks the
 * row and finds the same revision uses it instead of reading the entries.
 * A kept state is taken out of the cache while a command works on it and put
 * back only after that command committed, so a rolled-back step can never
 * leave a half-changed state for the next one.
 */
import type { InstanceState } from '../runtime/types.js';
import { ENTRY_KINDS, existingIndex, indexOf, type EntryKind, type StateIndex } from '../runtime/state-index.js';
import { sizedUuids } from './sized-rows.js';

export type Query = (sql: string, bindings: readonly unknown[]) => Promise<Record<string, any>[]>;

/** The instance row as lock queries select it: `state` is the header document. */
export interface StoredInstanceRow {
  id: string;
  state: Record<string, unknown>;
  revision?: string | number | null;
}

/** An entry as written: `value` is the element instance, job or wait. */
export interface EntryRow {
  instance_id: string;
  kind: EntryKind;
  key: string;
  value: unknown;
}

/** The writes of one instance's entries: upserts, deletions, and (for a state of unknown origin) "keep only these". */
export interface EntryWrites {
  upserts: EntryRow[];
  deletes: Omit<EntryRow, 'value'>[];
  prunes: { instance_id: string; kind: EntryKind; keep: string[] }[];
}

/** The revision an index's state was read at (what the DB holds when its touched set is empty). */
const readAt = new WeakMap<StateIndex, number>();
/** The revision the row has after the write that was last prepared for an index's state. */
const writtenAt = new WeakMap<StateIndex, number>();

/** The header stored in the instance row: the state without its entries. */
export function headerOf(state: InstanceState): Record<string, unknown> {
  const { elements: _e, jobs: _j, waits: _w, ...header } = state;
  return header;
}

/**
 * The entries of some instances read in the lock's own round trip (a
 * statement sent right after the lock statement, prefetchStatement): each
 * instance listed is there whole; one not listed is read as before.
 */
export type PrefetchedEntries = Map<string, EntryRow[]>;

/** Beyond this many kept states their ids are not sent along to be left out: the entries are then read as before. */
const PREFETCH_EXCLUDE_MAX = 64;

/**
 * A statement to send after a lock statement in the same round trip
 * (fastTransaction's further statements), so a command needs no round trip
 * of its own to read the state: the entries of the instances `ids` selects
 * (a subquery of uuids), up to CACHE_MIN_ENTRIES + 1 each (an instance as
 * large as the cache keeps costs a bounded read, and is read whole later),
 * leaving out those whose state this process keeps. It runs after the lock
 * is granted, with a snapshot of its own (READ COMMITTED), so it sees the
 * last commit of every locked instance. None when too many states are kept
 * to leave out.
 */
export function prefetchStatement(ids: { sql: string; bindings: readonly unknown[] }): { sql: string; bindings: unknown[] } | undefined {
  const kept = stateCache.ids();
  if (kept.length > PREFETCH_EXCLUDE_MAX) return undefined;
  return {
    // LEFT JOIN … ON true: an instance with no entries still answers (one row of nulls), so it is known to be whole.
    sql: `SELECT i.id AS instance_id, e.kind, e.key, e.value
            FROM (${ids.sql}) AS i(id)
            LEFT JOIN LATERAL (SELECT kind, key, value FROM instance_entries x WHERE x.instance_id = i.id LIMIT ${CACHE_MIN_ENTRIES + 1}) e ON true
           WHERE i.id NOT IN ${sizedUuids(kept.length)}
           ORDER BY i.id, e.kind, length(e.key), e.key COLLATE "C"`,
    bindings: [...ids.bindings, JSON.stringify(kept)],
  };
}

/** The rows of a prefetchStatement, by instance: only the instances that came whole. */
export function prefetchedEntries(rows: Record<string, any>[]): PrefetchedEntries {
  const byInstance: PrefetchedEntries = new Map();
  for (const row of rows) {
    let list = byInstance.get(row.instance_id);
    if (!list) byInstance.set(row.instance_id, (list = []));
    if (row.kind !== null) list.push(row as EntryRow);
  }
  for (const [id, list] of byInstance) if (list.length > CACHE_MIN_ENTRIES) byInstance.delete(id);
  return byInstance;
}

/**
 * The states of locked instance rows: kept ones where the revision matches,
 * then those whose entries came with the lock (`prefetched`), the rest read
 * from their entries.
 */
export async function loadStates(query: Query, rows: StoredInstanceRow[], prefetched?: PrefetchedEntries): Promise<Map<string, InstanceState>> {
  const states = new Map<string, InstanceState>();
  const missing: StoredInstanceRow[] = [];
  for (const row of rows) {
    if (states.has(row.id) || missing.some((m) => m.id === row.id)) continue;
    const revision = revisionOf(row);
    const kept = revision === null ? undefined : stateCache.take(row.id, revision);
    if (kept) states.set(row.id, kept);
    else missing.push(row);
  }
  if (missing.length === 0) return states;
  const unread = prefetched ? missing.filter((r) => !prefetched.has(r.id)) : missing;
  const entries = unread.length > 0 ? await readEntries(query, unread.map((r) => r.id)) : new Map<string, EntryRow[]>();
  for (const row of missing) {
    const state = assemble(row.state, prefetched?.get(row.id) ?? entries.get(row.id) ?? []);
    const revision = revisionOf(row);
    if (revision !== null) readAt.set(indexOf(state), revision);
    states.set(row.id, state);
  }
  return states;
}

export async function loadState(query: Query, row: StoredInstanceRow, prefetched?: PrefetchedEntries): Promise<InstanceState> {
  return (await loadStates(query, [row], prefetched)).get(row.id)!;
}

/** An instance's state for reading only (no lock, no cache, no watching): the API's views. */
export async function readState(query: Query, row: { id: string; state: Record<string, unknown> }): Promise<InstanceState> {
  const entries = await readEntries(query, [row.id]);
  return assemble(row.state, entries.get(row.id) ?? []);
}

async function readEntries(query: Query, ids: string[]): Promise<Map<string, EntryRow[]>> {
  // Keys in jsonb's own order (length, then bytes), the order the state document gave them before.
  const rows = (await query(
    `SELECT instance_id, kind, key, value FROM instance_entries
      WHERE instance_id IN ${sizedUuids(ids.length)}
      ORDER BY instance_id, kind, length(key), key COLLATE "C"`,
    [JSON.stringify(ids)],
  )) as EntryRow[];
  const byInstance = new Map<string, EntryRow[]>();
  for (const row of rows) {
    let list = byInstance.get(row.instance_id);
    if (!list) byInstance.set(row.instance_id, (list = []));
    list.push(row);
  }
  return byInstance;
}

function assemble(header: Record<string, unknown>, entries: EntryRow[]): InstanceState {
  const state = { ...header, elements: {}, jobs: {}, waits: {} } as unknown as InstanceState;
  const maps: Record<EntryKind, Record<string, unknown>> = { element: state.elements, job: state.jobs, wait: state.waits! };
  for (const entry of entries) maps[entry.kind][entry.key] = entry.value;
  return state;
}

function revisionOf(row: StoredInstanceRow): number | null {
  return row.revision === undefined || row.revision === null ? null : Number(row.revision);
}

/**
 * What writing `state` does to its entries. A state read by loadStates and
 * moved on in place writes what its steps touched; any other (a new instance,
 * or a copy) writes all its entries and drops those it no longer has. The
 * touched set is then cleared: call this once per write of the instance row.
 */
export function entryWrites(state: InstanceState, options: { insert: boolean }): EntryWrites {
  const writes: EntryWrites = { upserts: [], deletes: [], prunes: [] };
  const index = existingIndex(state);
  const baseline = index ? readAt.get(index) : undefined;
  const raw = () => (existingIndex(state)?.raw ?? { element: state.elements, job: state.jobs, wait: state.waits ?? {} });
  if (index && baseline !== undefined && !options.insert) {
    const touched = index.takeTouched();
    for (const kind of ENTRY_KINDS) {
      for (const key of touched[kind]) {
        const value = (index.raw[kind] as Record<string, unknown>)[key];
        if (value === undefined) writes.deletes.push({ instance_id: state.id, kind, key });
        else writes.upserts.push({ instance_id: state.id, kind, key, value });
      }
    }
    writtenAt.set(index, baseline + 1);
    readAt.set(index, baseline + 1);
    return writes;
  }
  index?.takeTouched();
  if (options.insert) {
    // A new instance large enough to keep is watched from here on: its next command then writes what it touches.
    const kept = index ?? (Object.keys(state.elements).length >= CACHE_MIN_ENTRIES ? indexOf(state) : undefined);
    if (kept) {
      writtenAt.set(kept, 0);
      readAt.set(kept, 0);
    }
  }
  for (const kind of ENTRY_KINDS) {
    const map = raw()[kind] as Record<string, unknown>;
    const keys = Object.keys(map);
    for (const key of keys) writes.upserts.push({ instance_id: state.id, kind, key, value: map[key] });
    if (!options.insert) writes.prunes.push({ instance_id: state.id, kind, keep: keys });
  }
  return writes;
}

/** Several instances' entry writes as one (a batch statement: their rows are disjoint). */
export function mergeEntryWrites(list: EntryWrites[]): EntryWrites {
  return { upserts: list.flatMap((w) => w.upserts), deletes: list.flatMap((w) => w.deletes), prunes: list.flatMap((w) => w.prunes) };
}

/**
 * After a commit: keeps the states it wrote for the next command on them
 * (only those large enough to be worth it, and only those whose revision is
 * known — read by loadStates or just inserted).
 */
export function committedStates(states: Iterable<InstanceState>): void {
  for (const state of states) {
    if (state.status !== 'ACTIVE') continue;
    const index = existingIndex(state) ?? (state.elements && Object.keys(state.elements).length >= CACHE_MIN_ENTRIES ? indexOf(state) : undefined);
    if (!index) continue;
    const revision = writtenAt.get(index);
    if (revision === undefined) continue;
    stateCache.put(state, index, revision);
  }
}

/** Instances with fewer entries are read from Postgres each time: that is cheap, and memory stays flat with a million of them. */
export const CACHE_MIN_ENTRIES = 256;

/**
 * States kept between commands, least recently used first out. Bounded by
 * the entries held (not the instance count: one instance can hold 10,000),
 * and a state not used for a while is dropped so an idle engine holds none.
 */
export class StateCache {
  private readonly kept = new Map<string, { state: InstanceState; revision: number; size: number; at: number }>();
  private held = 0;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly maxEntries = 200_000,
    private readonly idleMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The kept state of `id` if it is at `revision` (it leaves the cache: the caller now owns it). */
  take(id: string, revision: number): InstanceState | undefined {
    const entry = this.kept.get(id);
    if (!entry) return undefined;
    this.drop(id);
    this.prune();
    return entry.revision === revision && this.clock() - entry.at < this.idleMs ? entry.state : undefined;
  }

  put(state: InstanceState, index: StateIndex, revision: number): void {
    const size = index.size();
    if (size < CACHE_MIN_ENTRIES) return;
    this.drop(state.id);
    if (size > this.maxEntries) return;
    this.kept.set(state.id, { state, revision, size, at: this.clock() });
    this.held += size;
    this.prune();
    // Idle states leave even when no command comes to push them out; the timer never keeps the process alive.
    this.sweeper ??= setInterval(() => {
      this.prune();
      if (this.kept.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, this.idleMs).unref();
  }

  /** Forgets everything (tests; an operator's tool that writes rows behind the engine's back). */
  clear(): void {
    this.kept.clear();
    this.held = 0;
  }

  get size(): number {
    return this.kept.size;
  }

  /** The instances whose states are kept (a prefetch leaves them out). */
  ids(): string[] {
    return [...this.kept.keys()];
  }

  private drop(id: string): void {
    const entry = this.kept.get(id);
    if (!entry) return;
    this.kept.delete(id);
    this.held -= entry.size;
  }

  private prune(): void {
    const now = this.clock();
    for (const [id, entry] of this.kept) {
      if (this.held <= this.maxEntries && now - entry.at < this.idleMs) break;
      this.drop(id);
    }
  }
}

/**
 * One cache per process. Engines sharing a process (tests) share it safely:
 * a state is only used under its row's lock at the revision it was kept at.
 */
export const stateCache = new StateCache();
