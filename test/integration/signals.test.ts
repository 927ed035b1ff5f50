/**
 * Signals on real Postgres and Redis: a broadcast (through the API, or
 * thrown by an instance) reaches every waiting catcher of every other
 * instance once — catch events, interrupting and non-interrupting boundary
 * events, event sub-process starts — and starts one instance of the latest
 * version of each process with a signal start event of its name. Restarts,
 * a Redis flush and a broadcast left by a crash: signals-durability.test.ts;
 * two engines: signals-two-engines.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Weft } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { ALL_CATCHERS, receivedBy, signalFixture as fixture, startWaiting } from '../fixtures/integration/signals/catchers.js';

async function openTasks(db: Weft['db'], instanceId: string): Promise<string[]> {
  return (await db('tasks').where({ process_instance_id: instanceId, state: 'CREATED' }).select('element_id')).map((r) => r.element_id).sort();
}

describe('signals', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    for (const name of ['waits-for-signal.bpmn', 'started-by-go.bpmn', 'alarm.bpmn']) expect((await t.api.deploy([{ name, xml: fixture(name) }])).status).toBe(201);
  });
  afterAll(async () => t?.stop());

  it('a broadcast through the API reaches every kind of catcher in every waiting instance once, and starts the signal start event', async () => {
    // given three instances waiting for `go` and one waiting for another signal
    const waiting = await startWaiting(t.weft, 'go', 3);
    const [other] = await startWaiting(t.weft, 'stop', 1);

    // when `go` is broadcast
    const res = await t.api.post('/api/signals', { name: 'go', variables: { by: 'ops' } });

    // then every catcher of the three got it, once; the fourth instance got nothing
    expect(res.status).toBe(200);
    const { signalKey, delivered, started } = res.body;
    expect(delivered).toBe(3 * ALL_CATCHERS.length);
    for (const id of waiting) {
      expect(await receivedBy(t.weft.db, id, signalKey)).toEqual(ALL_CATCHERS);
      // the interrupting boundary ended `review`; `work` goes on, still listening
      expect(await openTasks(t.weft.db, id)).toEqual(['work']);
      expect((await t.api.get(`/api/process-instances/${id}`)).body.variables).toMatchObject({ by: 'ops' });
    }
    expect(await receivedBy(t.weft.db, other, signalKey)).toEqual([]);
    // and one instance of the signal-started process, with the signal's variables
    expect(started).toEqual([{ processInstanceId: expect.any(String), processId: 'it-started-by-go' }]);
    const startedView = await t.api.get(`/api/process-instances/${started[0].processInstanceId}`);
    expect(startedView.body).toMatchObject({ state: 'ACTIVE', variables: { by: 'ops' } });
    expect(await t.weft.db('signal_broadcasts').count('* as n').first()).toEqual({ n: '0' });

    // when it is broadcast again, only what still listens gets it: the non-interrupting boundary and event sub-process
    const again = await t.api.post('/api/signals', { name: 'go' });
    expect(again.body.delivered).toBe(3 * 2);
    for (const id of waiting) expect(await receivedBy(t.weft.db, id, again.body.signalKey)).toEqual(['heard', 'note-work']);
    expect(again.body.started).toHaveLength(1);
  });

  it('each broadcast starts one instance of the latest version; a new version replaces the start events', async () => {
    const startedBy = async () => (await t.api.post('/api/signals', { name: 'go' })).body.started as { processInstanceId: string }[];
    const versionOf = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body.version;

    // given version 2 of the signal-started process
    const v2 = fixture('started-by-go.bpmn').replace('<bpmn:userTask id="handle" />', '<bpmn:userTask id="handle" name="Handle, v2" />');
    expect((await t.api.deploy([{ name: 'started-by-go.bpmn', xml: v2 }])).body.processes[0].version).toBe(2);
    // when `go` is broadcast twice, then each broadcast started one instance of version 2
    const [first] = await startedBy();
    const [second] = await startedBy();
    expect(first.processInstanceId).not.toBe(second.processInstanceId);
    expect([await versionOf(first.processInstanceId), await versionOf(second.processInstanceId)]).toEqual([2, 2]);

    // given version 3, started by nothing but a plain start
    const v3 = fixture('started-by-go.bpmn').replace('<bpmn:startEvent id="on-go"><bpmn:signalEventDefinition signalRef="Sig_go" /></bpmn:startEvent>', '<bpmn:startEvent id="on-go" />');
    expect((await t.api.deploy([{ name: 'started-by-go.bpmn', xml: v3 }])).body.processes[0].version).toBe(3);
    // then a broadcast starts no instance of any version
    expect(await startedBy()).toEqual([]);
  });

  it('a signal thrown in one instance reaches the others and starts the signal start events, its own process included; its own catcher gets it once', async () => {
    // given two instances waiting for `alarm`, and an instance about to throw it
    const waiting = await startWaiting(t.weft, 'alarm', 2);
    const thrower = await t.weft.engine.startInstance({ processId: 'it-alarm' }, 'test');
    const ready = await t.weft.db('tasks').where({ process_instance_id: thrower.id, element_id: 'ready' }).first('id');

    // when the thrower goes on to throw it
    expect((await t.api.post(`/api/tasks/${ready.id}/complete`, {})).status).toBe(200);

    // then the thrower's own catchers got it in the step that threw it: the catch event, and the boundary that goes on listening
    const [thrown] = await t.weft.db('audit').where({ process_instance_id: thrower.id, type: 'SIGNAL_BROADCAST' }).select('payload');
    const { signalKey } = thrown.payload;
    expect(await receivedBy(t.weft.db, thrower.id, signalKey)).toEqual(['keep-listening', 'own-catch']);
    // and every catcher of the other instances got it once, with the throw event's variables
    for (const id of waiting) {
      await eventually(async () => (await receivedBy(t.weft.db, id, signalKey)).length === ALL_CATCHERS.length);
      expect((await t.api.get(`/api/process-instances/${id}`)).body.variables).toMatchObject({ kind: 'fire' });
    }
    // and one instance of each process with a signal start event for it: the thrower's own process too, which waits for the next alarm
    const started = await eventually(async () => {
      const rows = await t.weft.db('audit').where({ type: 'SIGNAL_RECEIVED', element_id: 'on-alarm' }).orWhere({ type: 'SIGNAL_RECEIVED', element_id: 'alarmed' }).select('process_instance_id', 'element_id', 'payload');
      return rows.length === 2 ? rows : null;
    });
    expect(started.every((r) => r.payload.signalKey === signalKey)).toBe(true);
    const again = started.find((r) => r.element_id === 'on-alarm')!;
    const view = (await t.api.get(`/api/process-instances/${again.process_instance_id}`)).body;
    expect(view).toMatchObject({ processId: 'it-alarm', state: 'ACTIVE', variables: { kind: 'fire' } });
    expect(view.elements.filter((e: { state: string }) => e.state === 'ACTIVE').map((e: { elementId: string }) => e.elementId)).toContain('next-alarm');
    await new Promise((r) => setTimeout(r, 300));
    expect(await receivedBy(t.weft.db, again.process_instance_id, signalKey)).toEqual(['on-alarm']);
    for (const id of waiting) expect(await receivedBy(t.weft.db, id, signalKey)).toEqual(ALL_CATCHERS);
    // and the broadcast passed the thrower by: its boundary, still listening, heard it once
    expect(await receivedBy(t.weft.db, thrower.id, signalKey)).toEqual(['keep-listening', 'own-catch']);
    expect(await t.weft.db('signal_broadcasts').count('* as n').first()).toEqual({ n: '0' });
  });

  it('refuses a broadcast it cannot make with a 4xx naming what is wrong', async () => {
    const missing = await t.api.post('/api/signals', { variables: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(['name']);
    const unstorable = await t.api.post('/api/signals', { name: 'go', variables: { note: 'a\u0000b' } });
    expect(unstorable.status).toBeGreaterThanOrEqual(400);
    expect(unstorable.status).toBeLessThan(500);
    expect(unstorable.body.error.message).toMatch(/note/);
  });
});

describe('a broadcast delivered in several batches', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    await t.api.deploy([{ name: 'waits-for-signal.bpmn', xml: fixture('waits-for-signal.bpmn') }]);
    // Four processes that a broadcast of `alarm` starts, each instance waiting for the next `alarm` at once.
    for (const n of [1, 2, 3, 4]) {
      await t.api.deploy([{ name: `alarm-${n}.bpmn`, xml: fixture('alarm.bpmn').replace(/"it-alarm"/, `"it-alarm-${n}"`).replace(/"it-started-by-alarm"/, `"it-started-by-alarm-${n}"`) }]);
    }
  });
  afterAll(async () => t?.stop());

  it('reaches each waiting instance once, and not the instances it started, which wait for the same signal', async () => {
    // given five instances waiting for `alarm`, delivered one at a time
    const waiting = await startWaiting(t.weft, 'alarm', 5);
    t.weft.engine.signals.batchSize = 1;

    // when `alarm` is broadcast
    const res = await t.api.post('/api/signals', { name: 'alarm' });

    // then every catcher of the five got it once — the non-interrupting ones, still listening, too
    expect(res.body.delivered).toBe(5 * ALL_CATCHERS.length);
    for (const id of waiting) expect(await receivedBy(t.weft.db, id, res.body.signalKey)).toEqual(ALL_CATCHERS);
    // and the instances it started in the first batch, waiting for `alarm` at once, did not get it in the later ones
    // (instances go by id: all but about one in 1,300 runs have one started with an id above the first batch's)
    const started = res.body.started as { processInstanceId: string; processId: string }[];
    expect(started.map((s) => s.processId).sort()).toEqual(['it-alarm-1', 'it-alarm-2', 'it-alarm-3', 'it-alarm-4', 'it-started-by-alarm-1', 'it-started-by-alarm-2', 'it-started-by-alarm-3', 'it-started-by-alarm-4']);
    for (const again of started.filter((s) => s.processId.startsWith('it-alarm-'))) {
      expect(await receivedBy(t.weft.db, again.processInstanceId, res.body.signalKey)).toEqual(['on-alarm']);
    }
    expect(await t.weft.db('signal_broadcasts').count('* as n').first()).toEqual({ n: '0' });
  });
});
