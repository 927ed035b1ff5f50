import { describe, expect, it } from 'vitest';
import { CACHE_MIN_ENTRIES, entryWrites, headerOf, StateCache } from '../../../engine/persistence/instance-store.js';
import { indexOf } from '../../../engine/runtime/state-index.js';
import type { InstanceState } from '../../../engine/runtime/types.js';

function state(elements: number): InstanceState {
  const s: InstanceState = {
    id: '00000000-0000-0000-0000-000000000001',
    processId: 'p',
    version: 1,
    definitionKey: 'd',
    status: 'ACTIVE',
    elements: { [`root`]: { key: 'root', elementId: 'p', kind: 'process', state: 'ACTIVE', scopeKey: null, variables: {} } },
    jobs: {},
    incidents: {},
    waits: {},
    nextKey: 1,
  };
  for (let i = 0; i < elements; i++) s.elements[String(i)] = { key: String(i), elementId: 't', kind: 'serviceTask', state: 'ACTIVE', scopeKey: 'root' };
  return s;
}

describe('instance store: entries and kept states', () => {
  it('the header holds everything but the entries', () => {
    expect(Object.keys(headerOf(state(1))).sort()).toEqual(['definitionKey', 'id', 'incidents', 'nextKey', 'processId', 'status', 'version']);
  });

  it('a new instance writes all its entries; a state of unknown origin writes all and drops the rest', () => {
    const s = state(2);
    const inserted = entryWrites(s, { insert: true });
    expect(inserted.upserts.map((u) => `${u.kind}:${u.key}`)).toEqual(['element:0', 'element:1', 'element:root']);
    expect(inserted.prunes).toEqual([]);
    const copy = structuredClone(s);
    delete copy.elements['1'];
    const replaced = entryWrites(copy, { insert: false });
    expect(replaced.upserts).toHaveLength(2);
    expect(replaced.prunes).toEqual([
      { instance_id: s.id, kind: 'element', keep: ['0', 'root'] },
      { instance_id: s.id, kind: 'job', keep: [] },
      { instance_id: s.id, kind: 'wait', keep: [] },
    ]);
  });

  it('keeps a large state at its revision, hands it out once, and never at another revision', () => {
    const cache = new StateCache(1_000_000, 60_000);
    const s = state(CACHE_MIN_ENTRIES);
    cache.put(s, indexOf(s), 4);
    expect(cache.take(s.id, 3)).toBeUndefined(); // someone else wrote it since: read it again
    cache.put(s, indexOf(s), 4);
    expect(cache.take(s.id, 4)).toBe(s);
    expect(cache.take(s.id, 4)).toBeUndefined(); // the taker owns it until it commits and puts it back
  });

  it('keeps no small state, drops the least recently used past its bound, and forgets idle ones', () => {
    let now = 0;
    const cache = new StateCache(CACHE_MIN_ENTRIES * 2 + 10, 1_000, () => now);
    const small = state(3);
    cache.put(small, indexOf(small), 0);
    expect(cache.size).toBe(0);
    const [a, b, c] = [state(CACHE_MIN_ENTRIES), state(CACHE_MIN_ENTRIES), state(CACHE_MIN_ENTRIES)].map((s, i) => ({ ...s, id: `id-${i}` }));
    for (const s of [a, b, c]) cache.put(s, indexOf(s), 0);
    expect(cache.size).toBe(2);
    expect(cache.take(a.id, 0)).toBeUndefined();
    now = 5_000;
    expect(cache.take(b.id, 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
