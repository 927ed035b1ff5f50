/**
 * A timer is a row in Postgres, not a promise in an engine's memory: an
 * engine that stops while instances wait leaves their timers to the next
 * one (an overdue timer fires once, a future one at its time). A Redis that
 * loses everything during the wait: redis-loss.test.ts.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const pause = readFileSync(new URL('../fixtures/integration/timers/pause.bpmn', import.meta.url), 'utf8');
const reminders = readFileSync(new URL('../fixtures/integration/timers/reminders.bpmn', import.meta.url), 'utf8');

/** The TIMER_FIRED records of an instance. */
async function firings(db: Weft['db'], instanceId: string) {
  return db('audit').where({ process_instance_id: instanceId, type: 'TIMER_FIRED' }).select('at', 'payload');
}

async function dueAt(db: Weft['db'], instanceId: string): Promise<Date> {
  const row = await db('timers').where({ process_instance_id: instanceId }).first('due_at');
  return row.due_at;
}

describe('stop the engine while instances wait on timers, start another', () => {
  // The tests run in order: each leaves `second` running for the next.
  let t: TestWeft;
  let second: Weft | undefined;
  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await second?.close();
    await t?.stop();
  });

  it('the overdue timer fires once as soon as the new engine runs; the future one fires at its time', async () => {
    // given two instances waiting on timers, on an engine that then stops
    await t.weft.engine.deploy([{ name: 'pause.bpmn', content: pause }], 'test');
    const overdue = await t.weft.engine.startInstance({ processId: 'it-pause', variables: { wait: 'PT1S', afterType: 'it-restart-after' } }, 'test');
    const future = await t.weft.engine.startInstance({ processId: 'it-pause', variables: { wait: 'PT5S', afterType: 'it-restart-after' } }, 'test');
    const overdueAt = await dueAt(t.weft.db, overdue.id);
    const futureAt = await dueAt(t.weft.db, future.id);
    await t.weft.close();

    // when a new engine starts once the first timer is overdue
    await new Promise((r) => setTimeout(r, Math.max(0, overdueAt.getTime() + 500 - Date.now())));
    const restartedAt = Date.now();
    second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false, background: { timerPollMs: 100 } });
    second.worker('it-restart-after', () => ({ worked: true }));

    // then the overdue instance moves on at once, the other one only when due, each timer fired once
    await eventually(async () => (await second!.engine.getInstance(overdue.id)).state === 'COMPLETED', 10_000);
    const [overdueFired] = await firings(second.db, overdue.id);
    expect(new Date(overdueFired.at).getTime() - restartedAt).toBeLessThan(futureAt.getTime() - restartedAt);
    await eventually(async () => (await second!.engine.getInstance(future.id)).state === 'COMPLETED', 15_000);
    const futureFired = await firings(second.db, future.id);
    expect(futureFired).toHaveLength(1);
    expect(new Date(futureFired[0].at).getTime()).toBeGreaterThanOrEqual(futureAt.getTime());
    expect(await firings(second.db, overdue.id)).toHaveLength(1);
  }, 40_000);

  it('a boundary timer cycle goes on after a restart: two reminders in all, the task still open', async () => {
    // given a user task with two reminders a second apart, on an engine that stops before the first
    await second!.engine.deploy([{ name: 'reminders.bpmn', content: reminders }], 'test');
    await second!.close();
    const third = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false, background: false });
    const { id } = await third.engine.startInstance({ processId: 'it-reminders' }, 'test');
    await third.close();

    // when an engine sweeps again once both reminders would have been due
    await new Promise((r) => setTimeout(r, 2500));
    second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false, background: { timerPollMs: 100 } });

    // then the task got its two reminders, no third, and is still open
    await eventually(async () => (await firings(second!.db, id)).length === 2, 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await firings(second.db, id)).toHaveLength(2);
    const detail = await second.engine.getInstance(id);
    expect(detail.elements.filter((e) => e.elementId === 'answer').map((e) => e.state)).toEqual(['ACTIVE']);
    expect(detail.timers).toEqual([]);
  }, 40_000);
});
