/** The operations page's batch filter (modeler/src/operations/batch-filter.ts): what of a search a batch takes, and how it is said. */
import { describe, expect, it } from 'vitest';
import { batchFilterOf, describeFilter, hasCriterion, singleVersion, splitFailure } from '../../../modeler/src/operations/batch-filter.js';

describe('a batch filter from the instance search', () => {
  it('takes the criteria, not the order or the page', () => {
    const filter = batchFilterOf({ processId: 'order', state: 'ACTIVE', hasIncident: 'true', variableName: undefined, sortBy: 'createdAt', sortOrder: 'desc', limit: 25, offset: 50 });
    expect(filter).toEqual({ processId: 'order', state: 'ACTIVE', hasIncident: 'true' });
  });

  it('has no criterion when only an order is chosen: no batch is offered over every instance', () => {
    expect(hasCriterion(batchFilterOf({ sortBy: 'state', sortOrder: 'asc', limit: 25, offset: 0 }))).toBe(false);
  });

  it('names one process version only when both the process and a version are set', () => {
    expect(singleVersion({ processId: 'order', version: '2' })).toEqual({ processId: 'order', version: 2 });
    expect(singleVersion({ processId: 'order' })).toBeUndefined();
    expect(singleVersion({ version: '2' })).toBeUndefined();
  });

  it('says a search and a stored filter alike', () => {
    expect(describeFilter({ processId: 'order', hasIncident: 'true', variableName: 'lot', variableValue: '"r"' })).toEqual(['process order', 'with an open incident', 'variable lot = "r"']);
    expect(describeFilter({ version: 1, hasIncident: false, variable: { name: 'lot', value: 'r' } })).toEqual(['version 1', 'without an open incident', 'variable lot = "r"']);
    expect(describeFilter(null)).toEqual(['listed instances']);
  });

  it('splits a failure into the engine code and its message', () => {
    expect(splitFailure('INSTANCE_NOT_ACTIVE: Process instance x is CANCELED')).toEqual({ code: 'INSTANCE_NOT_ACTIVE', message: 'Process instance x is CANCELED' });
    expect(splitFailure('gave up after 5 attempts: boom')).toEqual({ message: 'gave up after 5 attempts: boom' });
  });
});
