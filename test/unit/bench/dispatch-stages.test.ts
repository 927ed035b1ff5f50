import { describe, expect, it } from 'vitest';
import { dispatchStages, markRelays, stageMarks } from '../../../bench/dispatch-stages.js';
import type { Dispatcher } from '../../../engine/queue/dispatcher.js';

describe("the bench's dispatch latency by stage", () => {
  it('cuts each job at its relay and its fetch, and leaves out jobs not seen at every hand-off', () => {
    const marks = stageMarks();
    marks.relayed.set('a', 1_010).set('b', 1_020).set('c', 1_005);
    marks.fetched.set('a', 1_013).set('b', 1_120);
    const handled = new Map([['a', 1_020], ['b', 1_130], ['c', 1_050]]);
    const jobs = [
      { key: 'a', created_at: new Date(1_000) },
      { key: 'b', created_at: new Date(1_000) },
      { key: 'c', created_at: new Date(1_000) }, // never fetched (as a worker saw it): not counted
    ];
    expect(dispatchStages(jobs, marks, handled)).toEqual({
      createdToRelayed: { p50: 10, p99: 20 },
      relayedToFetched: { p50: 3, p99: 100 },
      fetchedToHandler: { p50: 7, p99: 10 },
    });
  });

  it('marks a relay once Redis answered, and not when it failed', async () => {
    const marks = stageMarks();
    let fail = false;
    const dispatcher = { dispatch: async () => { if (fail) throw new Error('down'); } } as unknown as Dispatcher;
    markRelays(dispatcher, marks);
    const item = (key: string) => ({ id: `o-${key}`, queue: 'job.x', payload: { jobKey: key }, availableAt: new Date() });
    await dispatcher.dispatch([item('a'), item('b')]);
    fail = true;
    await expect(dispatcher.dispatch([item('c')])).rejects.toThrow('down');
    expect([...marks.relayed.keys()]).toEqual(['a', 'b']);
  });
});
