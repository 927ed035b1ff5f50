/**
 * On one server Weft's keys are what they always were; on a Redis Cluster
 * every queue's keys, and its re-drive sentinel, hash to the queue's slot.
 */
import { describe, expect, it } from 'vitest';
import { bullQueueName, sentinelKey } from '../../../engine/queue/keyspace.js';

const server = { isCluster: false };
const cluster = { isCluster: true };

// Redis Cluster's key slot (CRC16/XMODEM of the hash tag, or of the key), as the server computes it.
function slotOf(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of Buffer.from(key)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

describe('the keyspace', () => {
  it('keeps the queue names and the sentinel of a single server', () => {
    expect(bullQueueName('job.send-mail', server)).toBe('job.send-mail');
    expect(sentinelKey('weft', server)).toBe('weft:weft:sentinel');
  });

  it('puts every key of a queue, and its sentinel, on one slot of a cluster', () => {
    const name = bullQueueName('job.send-mail', cluster);
    expect(name).toBe('{job.send-mail}');
    const keys = ['wait', 'active', 'events', 'meta', 'marker', '4b0c9f2e-0000-4000-8000-000000000000'].map((suffix) => `weft:${name}:${suffix}`);
    const slots = new Set([...keys, sentinelKey('weft', cluster, 'job.send-mail')].map(slotOf));
    expect(slots.size).toBe(1);
  });

  it('spreads the queues of a cluster over slots', () => {
    const queues = ['agent', 'human-task', 'job.http', 'job.send-mail', 'job.charge-card', 'job.ship'];
    expect(new Set(queues.map((q) => slotOf(`weft:${bullQueueName(q, cluster)}:wait`))).size).toBe(queues.length);
  });

  it('has no cluster sentinel without a queue', () => {
    expect(() => sentinelKey('weft', cluster)).toThrow(/belongs to a queue/);
  });
});
