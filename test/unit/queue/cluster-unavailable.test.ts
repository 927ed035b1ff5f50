/**
 * What ioredis's Cluster says when the cluster is down, not reached yet, or
 * between masters (a failover) counts as "Redis unavailable": the API answers
 * 503 with Retry-After and workers try again, as for one server.
 */
import { describe, expect, it } from 'vitest';
import { unavailableService } from '../../../engine/connection-error.js';

describe('a Redis Cluster that is unavailable', () => {
  it.each([
    "Cluster isn't ready and enableOfflineQueue options is false",
    'None of startup nodes is available',
    'Failed to refresh slots cache.',
    'CLUSTERDOWN The cluster is down',
    'TRYAGAIN Multiple keys request during rehashing of slot',
  ])('"%s" names Redis', (message) => {
    expect(unavailableService(new Error(message))).toBe('Redis');
  });

  it('a refusal of a cluster that is up is no outage', () => {
    expect(unavailableService(new Error("CROSSSLOT Keys in request don't hash to the same slot"))).toBeNull();
  });
});
