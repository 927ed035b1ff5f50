/**
 * Process instances through the REST API: gateways, sub-process scopes,
 * terminate and cancel, listing, the audit trail, and expressions that fail
 * at run time.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');

describe('process instances', () => {
  let t: TestWeft;

  /** A job type prefix no other test uses (the diagrams read job types from `jobType`). */
  const freshType = () => `it-${randomUUID().slice(0, 8)}`;

  async function start(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await t.api.post('/api/process-instances', { processId, variables });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const activateOne = (type: string) =>
    eventually(async () => (await t.api.post('/api/jobs/activate', { type, workerId: 'it', maxJobs: 1 })).body.jobs[0]);
  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  const audit = async (id: string): Promise<any[]> => (await t.api.get(`/api/process-instances/${id}/audit`)).body.items;
  const tasksOf = async (id: string, state = 'CREATED'): Promise<any[]> => (await t.api.get(`/api/tasks?processInstanceId=${id}&state=${state}`)).body.items;
  const jobState = async (key: string): Promise<string> => (await t.weft.db('jobs').where({ key }).first('state')).state;

  beforeAll(async () => {
    t = await startTestWeft();
    const files = ['parallel-jobs', 'inclusive-branches', 'sub-process-mappings', 'terminate-race', 'score-gateway'].map((name) => ({
      name: `${name}.bpmn`,
      xml: fixture(`${name}.bpmn`),
    }));
    files.push({ name: 'listing.bpmn', xml: fixture('terminate-race.bpmn').replace(/"terminate-race"/g, '"listing"') });
    const res = await t.api.deploy(files);
    expect(res.status).toBe(201);
    expect(res.body.processes).toHaveLength(6);
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('gateways', () => {
    it('fires a parallel join once when both branches complete at the same time', async () => {
      // given
      const type = freshType();
      const id = await start('parallel-jobs', { jobType: type });
      const [stock, charge] = await Promise.all([activateOne(`${type}-stock`), activateOne(`${type}-charge`)]);

      // when
      const results = await Promise.all([
        t.api.post(`/api/jobs/${stock.key}/complete`, { variables: { reserved: true } }),
        t.api.post(`/api/jobs/${charge.key}/complete`, { variables: { charged: true } }),
      ]);

      // then
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect(results.map((r) => r.body.duplicate)).toEqual([false, false]);
      const done = await instance(id);
      expect(done).toMatchObject({ state: 'COMPLETED', variables: { reserved: true, charged: true } });
      const events = await audit(id);
      const activations = (elementId: string) => events.filter((e) => e.type === 'ELEMENT_ACTIVATED' && e.elementId === elementId);
      expect(activations('join')).toHaveLength(1);
      expect(activations('end')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'INSTANCE_COMPLETED')).toHaveLength(1);
    });

    it('takes only the inclusive branches whose conditions hold, and joins when those are done', async () => {
      // given
      const id = await start('inclusive-branches', { amount: 500, vip: true, flagged: false });
      const tasks = await tasksOf(id);
      expect(tasks.map((x) => x.elementId).sort()).toEqual(['credit-check', 'vip-welcome']);

      // when: one branch is done
      const credit = tasks.find((x) => x.elementId === 'credit-check');
      const vip = tasks.find((x) => x.elementId === 'vip-welcome');
      await t.api.post(`/api/tasks/${credit.id}/complete`, {});

      // then: the join waits for the other
      expect((await instance(id)).state).toBe('ACTIVE');
      expect((await audit(id)).some((e) => e.type === 'ELEMENT_ACTIVATED' && e.elementId === 'checks-done')).toBe(false);

      // when: the other is done
      await t.api.post(`/api/tasks/${vip.id}/complete`, {});

      // then
      expect((await instance(id)).state).toBe('COMPLETED');
      const events = await audit(id);
      expect(events.filter((e) => e.type === 'ELEMENT_ACTIVATED' && e.elementId === 'checks-done')).toHaveLength(1);
      expect(events.some((e) => e.elementId === 'fraud-review')).toBe(false);
      expect(events.filter((e) => e.type === 'FLOW_TAKEN').map((e) => e.elementId)).not.toContain('to-fraud');
    });

    it('takes the default flow of an inclusive gateway when no condition holds', async () => {
      const id = await start('inclusive-branches', { amount: 5, vip: false, flagged: false });
      expect((await instance(id)).state).toBe('COMPLETED');
      const flows = (await audit(id)).filter((e) => e.type === 'FLOW_TAKEN').map((e) => e.elementId);
      expect(flows).toEqual(['f1', 'no-checks']);
    });
  });

  describe('embedded sub-process', () => {
    it('maps variables in and out of the sub-process scope; its locals do not leak', async () => {
      // given
      const type = freshType();
      const order = { address: { city: 'Lyon' }, items: ['book', 'lamp', 'mug'] };
      const id = await start('sub-process-mappings', { jobType: type, order });

      // when
      const job = await activateOne(type);
      await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { trackingNo: 'TRK-9' } });

      // then: the job saw the sub-process's inputs
      expect(job.variables).toEqual({ jobType: type, order, address: { city: 'Lyon' }, parcelCount: 3, trackingNo: null });
      // and the instance holds only what the output mappings carried out
      const done = await instance(id);
      expect(done.state).toBe('COMPLETED');
      expect(done.variables).toEqual({ jobType: type, order, shipment: { tracking: 'TRK-9', parcels: 3 } });
    });
  });

  describe('ending early', () => {
    it('ends the instance TERMINATED at a terminate end event and cancels the other branch\'s job', async () => {
      // given
      const type = freshType();
      const id = await start('terminate-race', { jobType: type });
      const job = await activateOne(type);
      const [decide] = await tasksOf(id);

      // when
      await t.api.post(`/api/tasks/${decide.id}/complete`, {});

      // then
      const ended = await instance(id);
      expect(ended).toMatchObject({ state: 'TERMINATED', endedAt: expect.any(String) });
      expect(await jobState(job.key)).toBe('CANCELED');
      const events = await audit(id);
      expect(events).toEqual(expect.arrayContaining([
        expect.objectContaining({ type: 'JOB_CANCELED', elementId: 'slow-lookup', payload: { jobKey: job.key } }),
        expect.objectContaining({ type: 'ELEMENT_TERMINATED', elementId: 'slow-lookup' }),
        expect.objectContaining({ type: 'INSTANCE_TERMINATED' }),
      ]));
      expect(events.some((e) => e.elementId === 'looked-up')).toBe(false);
      const late = await t.api.post(`/api/jobs/${job.key}/complete`, {});
      expect(late.status).toBe(409);
    });

    it('cancels an instance with its jobs and tasks; a second cancel is a 409', async () => {
      // given
      const type = freshType();
      const id = await start('terminate-race', { jobType: type });
      const [decide] = await tasksOf(id);
      const job = await activateOne(type);

      // when
      const canceled = await t.api.post(`/api/process-instances/${id}/cancel`);

      // then
      expect(canceled.status).toBe(200);
      expect(canceled.body).toMatchObject({ id, state: 'CANCELED', endedAt: expect.any(String) });
      expect((await instance(id)).state).toBe('CANCELED');
      expect(await jobState(job.key)).toBe('CANCELED');
      expect((await t.api.get(`/api/tasks/${decide.id}`)).body.state).toBe('CANCELED');
      expect((await t.api.post('/api/jobs/activate', { type, workerId: 'it' })).body.jobs).toEqual([]);
      const types = (await audit(id)).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['JOB_CANCELED', 'TASK_CANCELED', 'INSTANCE_CANCELED']));
      expect(types.at(-1)).toBe('INSTANCE_CANCELED');

      // when / then
      const again = await t.api.post(`/api/process-instances/${id}/cancel`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('INSTANCE_NOT_ACTIVE');
      expect((await audit(id)).filter((e) => e.type === 'INSTANCE_CANCELED')).toHaveLength(1);
    });

    it('resolves an open incident when its instance is canceled; resolving it afterwards is a 409', async () => {
      // given: an instance held by a CONDITION_FAILED incident
      const id = await start('score-gateway', {});
      const [incident] = (await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items;

      // when
      expect((await t.api.post(`/api/process-instances/${id}/cancel`)).body.state).toBe('CANCELED');

      // then
      expect((await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items).toEqual([
        expect.objectContaining({ id: incident.id, state: 'RESOLVED', resolvedAt: expect.any(String) }),
      ]);
      const late = await t.api.post(`/api/incidents/${incident.id}/resolve`);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('INCIDENT_NOT_OPEN');
    });

    it('answers 404 when canceling an unknown instance', async () => {
      for (const id of [randomUUID(), 'nope']) {
        const res = await t.api.post(`/api/process-instances/${id}/cancel`);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('INSTANCE_NOT_FOUND');
      }
    });
  });

  describe('listing and reading', () => {
    it('lists instances by process id and state, newest first, with paging', async () => {
      // given: three instances of a process only this test starts; one canceled
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await start('listing', { jobType: freshType() }));
      await t.api.post(`/api/process-instances/${ids[1]}/cancel`);

      // when
      const all = (await t.api.get('/api/process-instances?processId=listing')).body;
      const active = (await t.api.get('/api/process-instances?processId=listing&state=ACTIVE')).body;
      const canceled = (await t.api.get('/api/process-instances?processId=listing&state=CANCELED')).body;
      const page1 = (await t.api.get('/api/process-instances?processId=listing&limit=2&offset=0')).body;
      const page2 = (await t.api.get('/api/process-instances?processId=listing&limit=2&offset=2')).body;

      // then
      expect(all).toMatchObject({ total: 3, limit: 50, offset: 0 });
      expect(all.items.map((i: any) => i.id).sort()).toEqual([...ids].sort());
      const created = all.items.map((i: any) => Date.parse(i.createdAt));
      expect(created).toEqual([...created].sort((a, b) => b - a));
      expect(all.items.find((i: any) => i.id === ids[2])).toEqual({ id: ids[2], processId: 'listing', version: 1, state: 'ACTIVE', businessKey: null, createdAt: expect.any(String), endedAt: null, openIncidents: 0, parentInstanceId: null });
      expect(active.total).toBe(2);
      expect(active.items.map((i: any) => i.id).sort()).toEqual([ids[0], ids[2]].sort());
      expect(canceled.total).toBe(1);
      expect(canceled.items.map((i: any) => i.id)).toEqual([ids[1]]);
      expect(canceled.items[0]).toMatchObject({ state: 'CANCELED', endedAt: expect.any(String) });
      expect(page1).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page1.items).toHaveLength(2);
      expect(page2).toMatchObject({ total: 3, limit: 2, offset: 2 });
      expect([...page1.items, ...page2.items].map((i: any) => i.id)).toEqual(all.items.map((i: any) => i.id));
    });

    it('pages through instances started in the same millisecond without skipping or repeating one', async () => {
      // given: many instances at once, so several share a created_at
      const processId = 'listing';
      const before = (await t.api.get(`/api/process-instances?processId=${processId}&limit=500`)).body.items.map((i: any) => i.id);
      const started = await Promise.all(Array.from({ length: 24 }, () => start(processId, { jobType: 'unused' })));
      const expected = new Set([...before, ...started]);

      // when
      const seen: string[] = [];
      for (let offset = 0; offset < expected.size; offset += 5) {
        const page = (await t.api.get(`/api/process-instances?processId=${processId}&limit=5&offset=${offset}`)).body;
        expect(page.total).toBe(expected.size);
        seen.push(...page.items.map((i: any) => i.id));
      }

      // then
      expect(seen).toHaveLength(expected.size);
      expect(new Set(seen)).toEqual(expected);
    });

    it('answers 400 for a bad list filter and 404 for an unknown instance', async () => {
      expect((await t.api.get('/api/process-instances?state=RUNNING')).status).toBe(400);
      expect((await t.api.get('/api/process-instances?limit=0')).status).toBe(400);
      for (const path of [`/api/process-instances/${randomUUID()}`, `/api/process-instances/${randomUUID()}/audit`]) {
        const res = await t.api.get(path);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('INSTANCE_NOT_FOUND');
      }
    });

    it('records the audit trail in order, each entry with actor, time and payload', async () => {
      // given
      const type = freshType();
      const before = Date.now();
      const started = await t.api.post('/api/process-instances', { processId: 'parallel-jobs', variables: { jobType: type }, businessKey: 'order-77' });
      const id = started.body.id;
      expect(started.body.businessKey).toBe('order-77');
      for (const suffix of ['stock', 'charge']) {
        const job = await activateOne(`${type}-${suffix}`);
        await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { [suffix]: 'ok' } });
      }

      // when
      const events = await audit(id);

      // then: ids ascend, times never go back, every entry is complete
      const ids = events.map((e) => BigInt(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const times = events.map((e) => Date.parse(e.at));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
      expect(times[0]).toBeGreaterThanOrEqual(before - 1000);
      for (const e of events) {
        expect(e.processInstanceId).toBe(id);
        expect(e.actor).toBe('admin');
        expect(e.at).toEqual(expect.any(String));
      }
      expect(events[0]).toMatchObject({ type: 'INSTANCE_CREATED', payload: { processId: 'parallel-jobs', version: 1, businessKey: 'order-77', actor: 'admin' } });
      expect(events.at(-1)).toMatchObject({ type: 'INSTANCE_COMPLETED' });
      const created = events.filter((e) => e.type === 'JOB_CREATED');
      expect(created.map((e) => e.payload.jobType).sort()).toEqual([`${type}-charge`, `${type}-stock`]);
      const order = events.map((e) => `${e.type}:${e.elementId ?? ''}`);
      expect(order.indexOf('ELEMENT_ACTIVATED:fork')).toBeLessThan(order.indexOf('ELEMENT_ACTIVATED:reserve-stock'));
      expect(order.indexOf('JOB_COMPLETED:charge-card')).toBeLessThan(order.indexOf('ELEMENT_ACTIVATED:join'));
      expect(order.indexOf('ELEMENT_ACTIVATED:join')).toBeLessThan(order.indexOf('INSTANCE_COMPLETED:'));
      expect(events.find((e) => e.type === 'JOB_COMPLETED' && e.elementId === 'charge-card').payload).toMatchObject({ variables: { charge: 'ok' } });
    });
  });

  describe('expressions that fail at run time', () => {
    it('opens CONDITION_FAILED on a gateway whose condition reads a missing variable; resolving re-evaluates and opens a new incident', async () => {
      // given
      const id = await start('score-gateway', {});

      // then
      const [first] = (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items;
      expect(first).toMatchObject({ type: 'CONDITION_FAILED', elementId: 'good-score', state: 'OPEN', jobKey: null });
      expect(first.message).toMatch(/score/);
      const detail = await instance(id);
      expect(detail.state).toBe('ACTIVE');
      expect(detail.elements).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'good-score', state: 'INCIDENT' })]));

      // when: resolved while the variable is still missing
      const resolved = await t.api.post(`/api/incidents/${first.id}/resolve`);

      // then: the condition is evaluated again, fails again, and a new incident opens
      expect(resolved.status).toBe(200);
      expect(resolved.body.state).toBe('RESOLVED');
      const incidents = (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items;
      expect(incidents).toHaveLength(2);
      const second = incidents.find((i: any) => i.id !== first.id);
      expect(second).toMatchObject({ type: 'CONDITION_FAILED', elementId: 'good-score', state: 'OPEN' });
      expect((await instance(id)).incidents.filter((i: any) => i.state === 'OPEN').map((i: any) => i.id)).toEqual([second.id]);
      const events = await audit(id);
      const types = events.map((e) => e.type);
      expect(types.filter((x) => x === 'INCIDENT_OPENED')).toHaveLength(2);
      expect(types.filter((x) => x === 'INCIDENT_RESOLVED')).toHaveLength(1);
      expect(events.filter((e) => e.elementId === 'good-score').map((e) => e.type)).toEqual(['ELEMENT_ACTIVATED', 'INCIDENT_OPENED', 'INCIDENT_RESOLVED', 'INCIDENT_OPENED']);
    });

    it('takes the path the condition chooses when the variable is there', async () => {
      const high = await start('score-gateway', { score: 80 });
      const low = await start('score-gateway', { score: 20 });
      const flows = async (id: string) => (await audit(id)).filter((e) => e.type === 'FLOW_TAKEN').map((e) => e.elementId);
      expect(await flows(high)).toEqual(['f1', 'high']);
      expect(await flows(low)).toEqual(['f1', 'low']);
    });

    it('opens EXPRESSION_FAILED when a job type expression reads a missing variable', async () => {
      // when
      const id = await start('parallel-jobs', {});

      // then: both service tasks are held, each by its own incident
      const incidents = (await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items;
      expect(incidents.map((i: any) => i.elementId).sort()).toEqual(['charge-card', 'reserve-stock']);
      for (const incident of incidents) {
        expect(incident).toMatchObject({ type: 'EXPRESSION_FAILED', jobKey: null });
        expect(incident.message).toMatch(/jobType/);
      }
      expect((await instance(id)).state).toBe('ACTIVE');
    });
  });
});
