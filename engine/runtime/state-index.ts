/**
 * The live parts of an instance's state — element instances, jobs, waits —
 * watched and indexed, so a step costs what it touches and not what the
 * instance holds: a multi-instance body with 10,000 runs must not make each
 * run's completion scan, copy or rewrite the other 9,999.
 *
 * `indexOf(state)` wraps the three maps in proxies (once per state object)
 * that record every key read, written or deleted. What was touched is what
 * the persistence layer writes back (instance_entries rows); an entry that was
 * only read is written too, which is never wrong, only more. Keep that set
 * small: find things through the index (children of a scope, waits of an
 * owner, scopes holding joins) rather than by iterating a map, which touches
 * every entry.
 *
 * The index is found by the watched element map itself (a WeakMap), so the
 * state stays plain JSON and a spread copy of it keeps its index. Pure data
 * structure, no I/O.
 */
import type { ElementInstance, InstanceState, JobRecord, WaitRecord } from './types.js';
import type { ElementKind } from '../model/types.js';

export type EntryKind = 'element' | 'job' | 'wait';
export const ENTRY_KINDS: readonly EntryKind[] = ['element', 'job', 'wait'];

/** Indexes by the element map they watch: that proxy is the same object in a spread copy of the state. */
const INDEXES = new WeakMap<object, StateIndex>();

/** Kinds whose instances are scopes that can hold joins (arrivals at a joining gateway). */
const CONTAINER_KINDS = new Set<ElementKind>(['process', 'subProcess', 'transaction', 'eventSubProcess', 'adHocSubProcess']);

type Maps = { element: Record<string, ElementInstance>; job: Record<string, JobRecord>; wait: Record<string, WaitRecord> };

export class StateIndex {
  /** Keys read, written or deleted since the state was last stored (see takeTouched). */
  private touched: Record<EntryKind, Set<string>> = { element: new Set(), job: new Set(), wait: new Set() };
  readonly raw: Maps;
  readonly views: Maps;
  private readonly childrenOf = new Map<string, Set<string>>();
  private readonly waitsOf = new Map<string, Set<string>>();
  private readonly containers = new Set<string>();

  constructor(state: InstanceState) {
    state.waits ??= {};
    this.raw = { element: state.elements, job: state.jobs, wait: state.waits };
    for (const [key, element] of Object.entries(this.raw.element)) this.added('element', key, element);
    for (const [key, wait] of Object.entries(this.raw.wait)) this.added('wait', key, wait);
    this.views = {
      element: this.watch('element', this.raw.element),
      job: this.watch('job', this.raw.job),
      wait: this.watch('wait', this.raw.wait),
    };
  }

  /** Whether `state`'s maps are still the ones this index watches (a map replaced wholesale is written whole). */
  watches(state: InstanceState, kind: EntryKind): boolean {
    const map = kind === 'element' ? state.elements : kind === 'job' ? state.jobs : state.waits;
    return map === this.views[kind];
  }

  /** Keys of the live children of a scope; reading them through `state.elements` touches only those. */
  childKeys(scopeKey: string): string[] {
    const keys = this.childrenOf.get(scopeKey);
    return keys ? [...keys] : [];
  }

  childCount(scopeKey: string): number {
    return this.childrenOf.get(scopeKey)?.size ?? 0;
  }

  /** Ids of the waits an element instance holds (its own, or its boundary events'). */
  waitIds(ownerKey: string): string[] {
    const ids = this.waitsOf.get(ownerKey);
    return ids ? [...ids] : [];
  }

  /** Keys of the scopes that hold joins right now, found without touching the others. */
  scopesWithJoins(): string[] {
    const found: string[] = [];
    for (const key of this.containers) if (this.raw.element[key]?.joins) found.push(key);
    return found;
  }

  /** Finds an element instance by a property without touching the others (e.g. the one waiting on a task). */
  findElement(matches: (e: ElementInstance) => boolean): ElementInstance | undefined {
    for (const [key, element] of Object.entries(this.raw.element)) if (matches(element)) return this.views.element[key];
    return undefined;
  }

  /** Every element instance matching `matches`, touching only those. */
  findElements(matches: (e: ElementInstance) => boolean): ElementInstance[] {
    const found: ElementInstance[] = [];
    for (const [key, element] of Object.entries(this.raw.element)) if (matches(element)) found.push(this.views.element[key]);
    return found;
  }

  /** Open waits matching `matches`, in the order they were opened, without touching the others. */
  findWaits(matches: (w: WaitRecord) => boolean): WaitRecord[] {
    const found: WaitRecord[] = [];
    for (const [id, wait] of Object.entries(this.raw.wait)) if (matches(wait)) found.push(this.views.wait[id]);
    return found;
  }

  /** What changed since the last call, by kind; the state is then taken as stored. */
  takeTouched(): Record<EntryKind, Set<string>> {
    const touched = this.touched;
    this.touched = { element: new Set(), job: new Set(), wait: new Set() };
    return touched;
  }

  /** Marks everything as changed (a state written for the first time). */
  touchAll(): void {
    for (const kind of ENTRY_KINDS) for (const key of Object.keys(this.raw[kind])) this.touched[kind].add(key);
  }

  size(): number {
    return Object.keys(this.raw.element).length + Object.keys(this.raw.job).length + Object.keys(this.raw.wait).length;
  }

  private watch<T extends object>(kind: EntryKind, target: Record<string, T>): Record<string, T> {
    const touched = () => this.touched[kind];
    return new Proxy(target, {
      get: (t, key, receiver) => {
        if (typeof key === 'string' && Object.hasOwn(t, key)) touched().add(key);
        return Reflect.get(t, key, receiver);
      },
      set: (t, key, value, receiver) => {
        if (typeof key !== 'string') return Reflect.set(t, key, value, receiver);
        const before = t[key];
        if (before !== undefined) this.removed(kind, key, before);
        touched().add(key);
        this.added(kind, key, value);
        return Reflect.set(t, key, value, receiver);
      },
      deleteProperty: (t, key) => {
        if (typeof key === 'string' && Object.hasOwn(t, key)) {
          this.removed(kind, key, t[key]);
          touched().add(key);
        }
        return Reflect.deleteProperty(t, key);
      },
    });
  }

  private added(kind: EntryKind, key: string, value: unknown): void {
    if (kind === 'element') {
      const element = value as ElementInstance;
      if (element.scopeKey) setOf(this.childrenOf, element.scopeKey).add(key);
      if (CONTAINER_KINDS.has(element.kind)) this.containers.add(key);
    } else if (kind === 'wait') {
      setOf(this.waitsOf, (value as WaitRecord).elementInstanceKey).add(key);
    }
  }

  private removed(kind: EntryKind, key: string, value: unknown): void {
    if (kind === 'element') {
      const element = value as ElementInstance;
      if (element.scopeKey) unset(this.childrenOf, element.scopeKey, key);
      this.containers.delete(key);
    } else if (kind === 'wait') {
      unset(this.waitsOf, (value as WaitRecord).elementInstanceKey, key);
    }
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function unset(map: Map<string, Set<string>>, key: string, member: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(member);
  if (set.size === 0) map.delete(key);
}

/** The state's index, made (and its maps put under watch) on first use. */
export function indexOf(state: InstanceState): StateIndex {
  const existing = existingIndex(state);
  if (existing) return existing;
  const index = new StateIndex(state);
  state.elements = index.views.element;
  state.jobs = index.views.job;
  state.waits = index.views.wait;
  INDEXES.set(index.views.element, index);
  return index;
}

/** The index a state already has, if its maps are still watched (no index is made). */
export function existingIndex(state: InstanceState): StateIndex | undefined {
  const existing = INDEXES.get(state.elements);
  if (!existing) return undefined;
  return ENTRY_KINDS.every((kind) => existing.watches(state, kind)) ? existing : undefined;
}

/** The state as plain objects (no watching proxies), for structuredClone. */
export function plainState(state: InstanceState): InstanceState {
  const index = existingIndex(state);
  if (!index) return state;
  return { ...state, elements: index.raw.element, jobs: index.raw.job, waits: index.raw.wait };
}
