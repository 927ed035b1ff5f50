import { describe, expect, it } from 'vitest';
import { JobKeyCache } from '../../../engine/features/camunda-v2/jobs/job-key-cache.js';

describe('the job keys an engine handed out', () => {
  it('remembers which job a key stands for', () => {
    const cache = new JobKeyCache(3);

    cache.remember('2251799813685249', { id: 'job-a', type: 'charge' });

    expect(cache.get('2251799813685249')).toEqual({ id: 'job-a', type: 'charge' });
    expect(cache.get('2251799813685250')).toBeUndefined();
  });

  it('forgets the oldest key first when full, and a key handed out again counts as new', () => {
    const cache = new JobKeyCache(2);
    cache.remember('1', { id: 'a', type: 't' });
    cache.remember('2', { id: 'b', type: 't' });
    cache.remember('1', { id: 'a', type: 't' });

    cache.remember('3', { id: 'c', type: 't' });

    expect(cache.get('2')).toBeUndefined();
    expect(cache.get('1')).toEqual({ id: 'a', type: 't' });
    expect(cache.size).toBe(2);
  });
});
