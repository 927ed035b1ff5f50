/**
 * Two engine processes sweep the same timers table with no leader: every
 * due timer fires exactly once — catch events of 200 instances, and the
 * schedules of ten timer start events, which never create the same
 * scheduled instance twice.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { spawnEngine, type EngineProcess } from '../support/spawn-engine.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/timers/${name}`, import.meta.url), 'utf8');
const INSTANCES = 200;
const SCHEDULES = 10;
const TICKS = 3;

describe('two engine processes racing on due timers', () => {
  let t: TestWeft;
  const engines: EngineProcess[] = [];
  beforeAll(async () => {
    // This engine only starts and deploys: its own sweep is off, the two child processes fire.
    t = await startTestWeft({ background: false });
  });
  afterAll(async () => {
    for (const e of engines) e.kill();
    await t?.stop();
  });

  it('each timer fires once, each scheduled instance is created once', async () => {
    // given two engine processes on the same database
    const env = { DATABASE_URL: t.config.databaseUrl, REDIS_URL: t.config.redisUrl, WEFT_QUEUE_PREFIX: t.config.queuePrefix, LOG_LEVEL: 'debug' };
    engines.push(spawnEngine(env), spawnEngine(env));
    await Promise.all(engines.map((e) => e.waitFor(/^ready$/, 60_000)));

    // when 200 instances wait on timers: half due in the same instant, half spread over a second
    await t.weft.engine.deploy([{ name: 'race.bpmn', content: fixture('race.bpmn') }], 'test');
    const started = await Promise.all(
      Array.from({ length: INSTANCES }, (_, i) => t.weft.engine.startInstance({ processId: 'it-race', variables: { wait: i % 2 ? 'PT2S' : `PT1.${String(i * 5).padStart(3, '0')}S` } }, 'test')),
    );
    // and ten timer start events each fire three times, a second apart
    const schedules = Array.from({ length: SCHEDULES }, (_, i) => ({ name: `ticker-${i}.bpmn`, content: fixture('ticker.bpmn').replace('R2/PT1S', `R${TICKS}/PT1S`).replace(/it-ticker/g, `it-ticker-${i}`) }));
    await t.weft.engine.deploy(schedules, 'test');

    // then every instance completes, and three instances of each scheduled process exist
    const db = t.weft.db;
    await eventually(async () => {
      const [{ n }] = await db('process_instances').where({ process_id: 'it-race', status: 'COMPLETED' }).count({ n: '*' });
      return Number(n) === INSTANCES;
    }, 30_000, 200);
    await eventually(async () => {
      const [{ n }] = await db('timers').whereNull('process_instance_id').where({ state: 'ACTIVE' }).count({ n: '*' });
      return Number(n) === 0;
    }, 30_000, 200);
    await new Promise((r) => setTimeout(r, 500));

    const fired = await db('audit').where({ type: 'TIMER_FIRED' }).select(db.raw("payload->>'timerId' AS timer_id"));
    const perTimer = new Map<string, number>();
    for (const { timer_id } of fired) perTimer.set(timer_id, (perTimer.get(timer_id) ?? 0) + 1);
    expect(fired.length).toBe(INSTANCES + SCHEDULES * TICKS);
    expect([...perTimer.values()].every((n) => n === 1)).toBe(true);
    const firedRows = await db('timers').where({ state: 'FIRED' }).count({ n: '*' });
    expect(Number(firedRows[0].n)).toBe(INSTANCES + SCHEDULES * TICKS);
    const byProcess = await db('process_instances').where('process_id', 'like', 'it-ticker-%').groupBy('process_id').select('process_id').count({ n: '*' });
    expect(byProcess).toHaveLength(SCHEDULES);
    expect(byProcess.every((p) => Number(p.n) === TICKS)).toBe(true);
    const raceInstances = new Set(started.map((s) => s.id));
    const raceFirings = await db('audit').where({ type: 'TIMER_FIRED' }).whereIn('process_instance_id', [...raceInstances]).count({ n: '*' });
    expect(Number(raceFirings[0].n)).toBe(INSTANCES);

    // and both engines fired some of them
    for (const engine of engines) expect(engine.output.some((line) => line.includes('timers fired'))).toBe(true);
  }, 120_000);
});
