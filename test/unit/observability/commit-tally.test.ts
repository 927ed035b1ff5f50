/** What a step's write set counts for the metrics (pure), read from the audit rows it writes. */
import { describe, expect, it } from 'vitest';
import { mergeTallies, tallyOf } from '../../../engine/observability/metrics/commit-tally.js';

const set = (processId: string, audit: { type: string; payload?: Record<string, unknown> }[]) => ({
  instance: { id: 'i', state: { processId } as never, status: 'ACTIVE', ended: false },
  audit: audit.map((a) => ({ process_instance_id: 'i', type: a.type, payload: a.payload ?? null })),
});

describe('the commit tally', () => {
  it('counts starts and ends per process, activations per kind and jobs per type', () => {
    // given a start that ran to its end and a step that completed one job and failed another
    const tally = tallyOf([
      set('order', [
        { type: 'INSTANCE_CREATED' },
        { type: 'ELEMENT_ACTIVATED', payload: { kind: 'process' } },
        { type: 'ELEMENT_ACTIVATED', payload: { kind: 'serviceTask' } },
        { type: 'JOB_CREATED', payload: { jobType: 'charge' } },
        { type: 'INSTANCE_TERMINATED' },
      ]),
      set('refund', [
        { type: 'JOB_COMPLETED', payload: { jobType: 'charge' } },
        { type: 'JOB_FAILED', payload: { jobType: 'ship' } },
        { type: 'VARIABLES_SET', payload: { variables: { a: 1 } } },
        { type: 'INSTANCE_CANCELED' },
      ]),
    ]);

    // then
    expect(tally).toEqual({
      started: { order: 1 },
      completed: { order: 1 },
      canceled: { refund: 1 },
      activations: { process: 1, serviceTask: 1 },
      jobsCreated: { charge: 1 },
      jobsCompleted: { charge: 1 },
      jobsFailed: { ship: 1 },
    });
  });

  it('adds tallies together', () => {
    const a = tallyOf([set('p', [{ type: 'INSTANCE_CREATED' }, { type: 'JOB_CREATED', payload: { jobType: 'x' } }])]);
    const b = tallyOf([set('p', [{ type: 'INSTANCE_CREATED' }])]);
    const merged = mergeTallies([a, b]);
    expect(merged.started).toEqual({ p: 2 });
    expect(merged.jobsCreated).toEqual({ x: 1 });
  });
});
