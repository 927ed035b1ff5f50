/**
 * REDIS_URL names one server (redis://, rediss://) or a Redis Cluster by some
 * of its nodes (redis-cluster://, rediss-cluster://); a mistake is a clear
 * configuration error, not a connection that fails later.
 */
import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redisAddress } from '../../../engine/queue/redis-url.js';
import { loadConfig } from '../../../engine/config.js';

describe('REDIS_URL', () => {
  it('hands a server URL to ioredis as it is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ target: { kind: 'server', url: 'redis://127.0.0.1:6379' } });
    expect(parseRedisUrl('rediss://user:pw@redis.example:6380/2')).toEqual({ target: { kind: 'server', url: 'rediss://user:pw@redis.example:6380/2' } });
  });

  it('reads the nodes of a cluster, their credentials and TLS', () => {
    expect(parseRedisUrl('redis-cluster://10.0.0.1:7000,10.0.0.2:7001, redis-c:7002')).toEqual({
      target: { kind: 'cluster', tls: false, username: undefined, password: undefined, nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }, { host: 'redis-c', port: 7002 }] },
    });
    expect(parseRedisUrl('rediss-cluster://weft:s%40cret@[::1]:7000,cfg.example')).toEqual({
      target: { kind: 'cluster', tls: true, username: 'weft', password: 's@cret', nodes: [{ host: '::1', port: 7000 }, { host: 'cfg.example', port: 6379 }] },
    });
    expect(parseRedisUrl('redis-cluster://:pw@h:7000/')).toMatchObject({ target: { username: undefined, password: 'pw', nodes: [{ host: 'h', port: 7000 }] } });
  });

  it('says what is wrong with a URL that names no server or cluster', () => {
    expect(parseRedisUrl('redis://a:7000,b:7001')).toEqual({ problem: 'names one server; for the nodes of a Redis Cluster write redis-cluster://10.0.0.1:7000,10.0.0.2:7001' });
    expect(parseRedisUrl('http://127.0.0.1:6379')).toMatchObject({ problem: expect.stringContaining('must be a redis:// or rediss:// URL') });
    expect(parseRedisUrl('127.0.0.1:6379')).toMatchObject({ problem: expect.stringContaining('must be a redis:// URL') });
    expect(parseRedisUrl('redis-cluster://')).toMatchObject({ problem: expect.stringContaining('names no cluster node') });
    expect(parseRedisUrl('redis-cluster://a:7000,,b:7001')).toMatchObject({ problem: expect.stringContaining('"", which is not host:port') });
    expect(parseRedisUrl('redis-cluster://a:70000')).toMatchObject({ problem: expect.stringContaining('"a:70000", which is not host:port') });
    expect(parseRedisUrl('redis-cluster://a:7000/1')).toMatchObject({ problem: expect.stringContaining('only database 0') });
    expect(parseRedisUrl('redis-cluster://a:7000?db=1')).toMatchObject({ problem: expect.stringContaining('only database 0') });
  });

  it('names where it points in messages, never the password', () => {
    expect(redisAddress('redis://:secret@127.0.0.1')).toBe('127.0.0.1:6379');
    expect(redisAddress('redis-cluster://u:secret@h1:7000,[::1]:7001')).toBe('the Redis Cluster of h1:7000, [::1]:7001');
  });

  it('is checked with the rest of the configuration', () => {
    expect(loadConfig({ REDIS_URL: 'redis-cluster://127.0.0.1:7000,127.0.0.1:7001' }).redisUrl).toBe('redis-cluster://127.0.0.1:7000,127.0.0.1:7001');
    expect(() => loadConfig({ REDIS_URL: 'redis://a:7000,b:7001' })).toThrow(/REDIS_URL: names one server; for the nodes of a Redis Cluster write redis-cluster:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'redis-cluster://a:7000/3' })).toThrow(/REDIS_URL: names a path or query/);
  });
});
