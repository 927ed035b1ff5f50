/**
 * Two engine processes sweep the same signal broadcasts with no leader:
 * each broadcast reaches every waiting instance once and starts its signal
 * start event's process once, though both engines go through the same
 * rows at the same time (and lock the same instances, in the same order).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { spawnEngine, type EngineProcess } from '../support/spawn-engine.js';
import { signalFixture } from '../fixtures/integration/signals/catchers.js';

const race = signalFixture('race.bpmn');
const INSTANCES = 30;
const BROADCASTS = 40;

describe('two engine processes racing on signal broadcasts', () => {
  let t: TestWeft;
  const engines: EngineProcess[] = [];
  beforeAll(async () => {
    // This engine only deploys and starts: its own sweep is off, the two child processes deliver.
    t = await startTestWeft({ background: false });
  });
  afterAll(async () => {
    for (const e of engines) e.kill();
    await t?.stop();
  });

  it('each broadcast reaches each waiting instance once and starts one instance', async () => {
    // given 30 instances each listening for every `race` (a non-interrupting boundary event)
    await t.weft.engine.deploy([{ name: 'race.bpmn', content: race }], 'test');
    const waiting = await Promise.all(Array.from({ length: INSTANCES }, () => t.weft.engine.startInstance({ processId: 'it-signal-race' }, 'test')));
    // and two engine processes on the same database
    const env = { DATABASE_URL: t.config.databaseUrl, REDIS_URL: t.config.redisUrl, WEFT_QUEUE_PREFIX: t.config.queuePrefix, LOG_LEVEL: 'info' };
    engines.push(spawnEngine(env), spawnEngine(env));
    await Promise.all(engines.map((e) => e.waitFor(/^ready$/, 60_000)));

    // when 40 broadcasts of `race` are left for their sweeps
    const db = t.weft.db;
    const keys = Array.from({ length: BROADCASTS }, () => randomUUID());
    const past = new Date(Date.now() - 60_000);
    await db('signal_broadcasts').insert(keys.map((key) => ({ key, name: 'race', variables: '{}', source_instance_id: null, created_at: past })));

    // then all are delivered
    await eventually(async () => Number((await db('signal_broadcasts').count('* as n').first())!.n) === 0, 60_000, 200);
    await new Promise((r) => setTimeout(r, 1500));
    // each to each instance exactly once
    const received = await db('audit').where({ type: 'SIGNAL_RECEIVED' }).whereIn('process_instance_id', waiting.map((w) => w.id)).select('process_instance_id', db.raw("payload->>'signalKey' AS signal_key"));
    const pairs = new Set(received.map((r) => `${r.process_instance_id} ${r.signal_key}`));
    expect(received).toHaveLength(INSTANCES * BROADCASTS);
    expect(pairs.size).toBe(INSTANCES * BROADCASTS);
    expect(new Set(received.map((r) => r.signal_key))).toEqual(new Set(keys));
    // and each started one instance of the signal-started process
    const starts = await db('audit').where({ type: 'SIGNAL_RECEIVED', element_id: 'on-race' }).select(db.raw("payload->>'signalKey' AS signal_key"));
    expect(starts).toHaveLength(BROADCASTS);
    expect(new Set(starts.map((s) => s.signal_key))).toEqual(new Set(keys));
    const [{ n }] = await db('process_instances').where({ process_id: 'it-signal-race-start' }).count('* as n');
    expect(Number(n)).toBe(BROADCASTS);

    // and both engines delivered some of them
    for (const engine of engines) expect(engine.output.some((line) => line.includes('signal broadcasts: '))).toBe(true);
  }, 120_000);
});
