/**
 * Timers on a real Postgres and Redis: a catch event that waits and moves
 * on, a boundary timer that takes a task away, timer start events that
 * create instances on their schedule (and are replaced by a new version),
 * and what the API says about them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/timers/${name}`, import.meta.url), 'utf8');

describe('timers', () => {
  let t: TestWeft;
  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  const audit = async (id: string): Promise<any[]> => (await t.api.get(`/api/process-instances/${id}/audit`)).body.items;
  const timerRows = (processId: string) => t.weft.db('timers').where({ process_id: processId }).orderBy('created_at').select('*');

  beforeAll(async () => {
    t = await startTestWeft();
    const res = await t.api.deploy(['pause.bpmn', 'review-timeout.bpmn'].map((name) => ({ name, xml: fixture(name) })));
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('an instance waits at a PT1S timer catch event, then moves on and completes', async () => {
    // given
    t.weft.worker('it-after-pause', () => ({ done: true }));
    const started = Date.now();
    const { body } = await t.api.post('/api/process-instances', { processId: 'it-pause' });

    // then it waits at the timer, which the instance shows
    const waiting = await instance(body.id);
    expect(waiting.timers).toEqual([{ id: expect.any(String), elementId: 'pause', elementInstanceKey: expect.any(String), dueAt: expect.any(String) }]);
    const dueAt = Date.parse(waiting.timers[0].dueAt);
    expect(dueAt - started).toBeGreaterThanOrEqual(900);

    // when it is due, then it fires once and the instance completes
    const done = await eventually(async () => {
      const detail = await instance(body.id);
      return detail.state === 'COMPLETED' && detail;
    });
    expect(done.variables).toMatchObject({ done: true });
    expect(done.timers).toEqual([]);
    const fired = (await audit(body.id)).filter((e) => e.type === 'TIMER_FIRED');
    expect(fired).toHaveLength(1);
    expect(Date.parse(fired[0].at)).toBeGreaterThanOrEqual(dueAt);
    expect(fired[0].actor).toBe('engine');
    const [row] = await t.weft.db('timers').where({ process_instance_id: body.id });
    expect(row).toMatchObject({ state: 'FIRED', element_id: 'pause' });
  });

  it('an interrupting boundary timer takes a user task away', async () => {
    // given
    const { body } = await t.api.post('/api/process-instances', { processId: 'it-review' });
    const [task] = (await t.api.get(`/api/tasks?processInstanceId=${body.id}&state=CREATED`)).body.items;
    expect(task).toBeDefined();

    // when the second has passed
    const done = await eventually(async () => {
      const detail = await instance(body.id);
      return detail.state === 'COMPLETED' && detail;
    });

    // then the task was canceled and the instance left by the timer's path
    expect(done.elements.map((e: any) => [e.elementId, e.state])).toEqual(expect.arrayContaining([['review', 'TERMINATED'], ['timed-out', 'COMPLETED']]));
    expect((await t.api.get(`/api/tasks/${task.id}`)).body.state).toBe('CANCELED');
    const completed = await t.api.post(`/api/tasks/${task.id}/complete`, { variables: {} });
    expect(completed.status).toBe(409);
  });

  it('a timer whose firing breaks does not hold up the others; a row nothing waits on is closed', async () => {
    // given three instances due at once: one whose state is broken (its wait names an element the process lacks),
    // one whose timer row is left over from a wait that is gone, and a sound one
    const start = (wait: string) => t.weft.engine.startInstance({ processId: 'it-pause', variables: { wait, afterType: 'it-isolation-after' } }, 'test');
    const [broken, stale, sound] = await Promise.all([start('PT2S'), start('PT2S'), start('PT2S')]);
    // (written behind the engine's back, so each row's revision moves on too: no engine may use a state it kept)
    await t.weft.db.raw(`UPDATE instance_entries SET value = jsonb_set(value, '{elementId}', '"no-such-element"') WHERE instance_id = ? AND kind = 'wait'`, [broken.id]);
    await t.weft.db('instance_entries').where({ instance_id: stale.id, kind: 'wait' }).delete();
    await t.weft.db('process_instances').whereIn('id', [broken.id, stale.id]).increment('revision', 1);

    // when they come due, then the sound one fires
    await eventually(async () => (await t.weft.db('timers').where({ process_instance_id: sound.id }).first('state')).state === 'FIRED', 10_000);
    // the left-over row is closed as canceled, without a step
    const staleRow = await eventually(async () => {
      const row = await t.weft.db('timers').where({ process_instance_id: stale.id }).first('state');
      return row.state !== 'ACTIVE' && row;
    });
    expect(staleRow.state).toBe('CANCELED');
    // and the broken one is put back a minute, still waiting
    const brokenRow = await t.weft.db('timers').where({ process_instance_id: broken.id }).first('state', 'due_at', 'created_at');
    expect(brokenRow.state).toBe('ACTIVE');
    expect(brokenRow.due_at.getTime() - brokenRow.created_at.getTime()).toBeGreaterThan(50_000);
  });

  it('a R2/PT1S timer start event creates exactly two instances, then stops', async () => {
    // when
    const res = await t.api.deploy([{ name: 'ticker.bpmn', xml: fixture('ticker.bpmn') }]);
    expect(res.status).toBe(201);

    // then two instances are created a second apart, and no third
    const instances = await eventually(async () => {
      const rows = await t.weft.db('process_instances').where({ process_id: 'it-ticker' }).orderBy('created_at').select('id', 'created_at', 'status');
      return rows.length === 2 && rows;
    }, 10_000);
    expect(instances.every((i) => i.status === 'COMPLETED')).toBe(true);
    expect(instances[1].created_at.getTime() - instances[0].created_at.getTime()).toBeGreaterThanOrEqual(900);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await t.weft.db('process_instances').where({ process_id: 'it-ticker' }).count({ n: '*' })).toEqual([{ n: '2' }]);
    expect((await timerRows('it-ticker')).map((r) => r.state)).toEqual(['FIRED', 'FIRED']);
    const started = await audit(instances[0].id);
    expect(started.map((e) => e.type).slice(0, 2)).toEqual(['TIMER_FIRED', 'INSTANCE_CREATED']);
    expect(started[0].payload).toMatchObject({ catchElementId: 'tick' });
  });

  it('a new version replaces the schedule, and a version without a timer start event ends it', async () => {
    // given a schedule far in the future
    const hourly = fixture('ticker.bpmn').replace('R2/PT1S', 'R/PT1H').replace(/it-ticker/g, 'it-replaced');
    await t.api.deploy([{ name: 'replaced-v1.bpmn', xml: hourly }]);
    const [first] = await timerRows('it-replaced');
    expect(first).toMatchObject({ state: 'ACTIVE', process_instance_id: null, element_id: 'tick' });

    // when a new version with another schedule is deployed
    const v2 = await t.api.deploy([{ name: 'replaced-v2.bpmn', xml: hourly.replace('R/PT1H', '0 0 6 * * *') }]);
    expect(v2.body.processes[0].version).toBe(2);

    // then the old schedule is canceled and the new one armed
    const afterV2 = await timerRows('it-replaced');
    expect(afterV2.map((r) => [r.state, r.definition_key === v2.body.processes[0].key])).toEqual([
      ['CANCELED', false],
      ['ACTIVE', true],
    ]);
    expect(afterV2[1].repeat).toEqual({ kind: 'cron', cycle: '0 0 6 * * *', remaining: null });

    // when a version with a none start event only follows, then no schedule is left
    const v3 = await t.api.deploy([{ name: 'replaced-v3.bpmn', xml: fixture('ticker-by-hand.bpmn').replace(/it-ticker/g, 'it-replaced') }]);
    expect(v3.status).toBe(201);
    expect((await timerRows('it-replaced')).map((r) => r.state)).toEqual(['CANCELED', 'CANCELED']);
    // redeploying the same file changes nothing (no new version, no new schedule)
    await t.api.deploy([{ name: 'replaced-v3.bpmn', xml: fixture('ticker-by-hand.bpmn').replace(/it-ticker/g, 'it-replaced') }]);
    expect(await timerRows('it-replaced')).toHaveLength(2);
  });

  it('a plain start of a process started only by its timer is refused with 409, naming the timer start event', async () => {
    // given
    const xml = fixture('ticker.bpmn').replace('R2/PT1S', 'R/PT1H').replace(/it-ticker/g, 'it-scheduled-only');
    await t.api.deploy([{ name: 'scheduled-only.bpmn', xml }]);
    // when
    const res = await t.api.post('/api/process-instances', { processId: 'it-scheduled-only' });
    // then
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'NO_NONE_START_EVENT' });
    expect(res.body.error.message).toContain("it is started by its start events ('tick')");
  });

  it('a timer start event that does not evaluate at deploy time refuses the deployment with 422, naming file and event', async () => {
    // given a start timer whose FEEL needs a variable (there are none at deploy time)
    const xml = fixture('ticker.bpmn').replace('R2/PT1S', '=cycleOf(setting)').replace(/it-ticker/g, 'it-unschedulable');
    // when
    const res = await t.api.deploy([{ name: 'unschedulable.bpmn', xml }]);
    // then
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('INVALID_MODEL');
    expect(res.body.error.details.problems).toEqual([{ file: 'unschedulable.bpmn', elementId: 'tick', message: expect.stringContaining("Timer start event 'tick' of process 'it-unschedulable'") }]);
    expect(await t.weft.db('process_definitions').where({ process_id: 'it-unschedulable' })).toEqual([]);
  });

  it('a written timer that is no ISO 8601 value is refused at deploy time', async () => {
    const xml = fixture('review-timeout.bpmn').replace('PT1S', 'PT1X').replace(/it-review/g, 'it-bad-timer');
    const res = await t.api.deploy([{ name: 'bad-timer.bpmn', xml }]);
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([expect.objectContaining({ file: 'bad-timer.bpmn', elementId: 'too-slow', message: expect.stringContaining("'PT1X' is not an ISO 8601 duration") })]);
  });
});
