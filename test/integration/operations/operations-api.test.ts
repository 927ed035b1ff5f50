/**
 * The API behind the operations page (issue #12): the instance search, the
 * counts per definition version, the audited variable edit and the stream
 * of changes that reaches a page on one engine from a commit on another.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../../engine/weft.js';
import { createLogger } from '../../../engine/security/logger.js';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser, bearer } from '../../fixtures/people/client.js';
import { readEvents } from './event-stream-reader.js';

const orderApproval = readFileSync(new URL('../../../processes/order-approval.bpmn', import.meta.url), 'utf8');
/** A second version of the same process: only its name differs. */
const orderApprovalV2 = orderApproval.replace('name="Order approval"', 'name="Order approval (v2)"');
/** it-order calls it-approval (a user task) from its call activity `approve`. */
const calls = readFileSync(new URL('../../fixtures/integration/calls/order-approval.bpmn', import.meta.url), 'utf8');

describe('the operations API', () => {
  let t: TestWeft;
  const ids: Record<string, string> = {};
  let operator: string;
  let user: string;
  let modeler: string;

  const put = (path: string, body: unknown, token = t.weft.adminToken) =>
    fetch(t.weft.url + path, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => ({ status: res.status, body: await res.json() }));
  const search = async (query: string) => {
    const res = await t.api.get(`/api/process-instances?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: { id: string; openIncidents: number }[]; total: number };
  };
  const jobOf = async (instanceId: string) => eventually(async () => (await t.weft.db('jobs').where({ process_instance_id: instanceId }).whereIn('state', ['ACTIVATABLE', 'ACTIVATED']).first()) ?? null);

  beforeAll(async () => {
    t = await startTestWeft();
    await t.weft.engine.deploy([{ name: 'order-approval.bpmn', content: orderApproval }], 'test');
    const start = async (name: string, businessKey: string, variables: Record<string, unknown>) => (ids[name] = (await t.weft.engine.startInstance({ processId: 'order-approval', businessKey, variables }, 'test')).id);
    await start('small', 'order-1', { amount: 10, customer: { tier: 'gold' } });
    await start('failing', 'order-2', { amount: 20, customer: { tier: 'silver' } });
    await start('canceled', 'order-3', { amount: 30 });
    await t.weft.engine.deploy([{ name: 'order-approval.bpmn', content: orderApprovalV2 }], 'test');
    await start('v2', 'order-4', { amount: 40, customer: { tier: 'gold', since: 2020 } });
    await t.weft.engine.failJob((await jobOf(ids.failing)).key, { retries: 0, errorMessage: 'stock service down' }, 'test');
    await t.weft.engine.cancelInstance(ids.canceled, 'test');
    for (const [role, name] of [['operator', 'o-ops'], ['user', 'o-user'], ['modeler', 'o-modeler']] as const) {
      await addUser(t.api, name, role);
      const token = (await t.api.post('/api/tokens', { user: name, name: 'ops-test' })).body.token as string;
      if (role === 'operator') operator = token;
      else if (role === 'user') user = token;
      else modeler = token;
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('instance search', () => {
    it('finds instances with and without an open incident, and says how many each has', async () => {
      // when
      const withIncident = await search('hasIncident=true');
      const without = await search('hasIncident=false&state=ACTIVE');
      // then
      expect(withIncident.items.map((i) => i.id)).toEqual([ids.failing]);
      expect(withIncident.items[0].openIncidents).toBe(1);
      expect(without.items.map((i) => i.id).sort()).toEqual([ids.small, ids.v2].sort());
      expect(without.items.every((i) => i.openIncidents === 0)).toBe(true);
    });

    it('filters by state, process and version, and business key', async () => {
      expect((await search('state=CANCELED')).items.map((i) => i.id)).toEqual([ids.canceled]);
      expect((await search('processId=order-approval&version=2')).items.map((i) => i.id)).toEqual([ids.v2]);
      expect((await search('processId=order-approval&version=1')).total).toBe(3);
      expect((await search('businessKey=order-2')).items.map((i) => i.id)).toEqual([ids.failing]);
    });

    it("matches a variable's value by JSON equality, in any scope", async () => {
      const tier = encodeURIComponent(JSON.stringify({ tier: 'gold' }));
      expect((await search(`variableName=amount&variableValue=20`)).items.map((i) => i.id)).toEqual([ids.failing]);
      // {"tier":"gold"} is order-1's customer, not order-4's (which has one more field)
      expect((await search(`variableName=customer&variableValue=${tier}`)).items.map((i) => i.id)).toEqual([ids.small]);
      expect((await search(`variableName=amount&variableValue=%2220%22`)).total).toBe(0); // the string "20" is not the number 20
    });

    it('filters by start and end time', async () => {
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const past = new Date(Date.now() - 3_600_000).toISOString();
      expect((await search(`startedAfter=${encodeURIComponent(future)}`)).total).toBe(0);
      expect((await search(`startedAfter=${encodeURIComponent(past)}&startedBefore=${encodeURIComponent(future)}`)).total).toBe(4);
      expect((await search(`endedAfter=${encodeURIComponent(past)}`)).items.map((i) => i.id)).toEqual([ids.canceled]);
    });

    it('sorts by a whitelisted field either way, and pages without losing or repeating a row', async () => {
      const asc = await search('sortBy=businessKey&sortOrder=asc');
      expect(asc.items.map((i) => i.id)).toEqual([ids.small, ids.failing, ids.canceled, ids.v2]);
      const desc = await search('sortBy=businessKey&sortOrder=desc');
      expect(desc.items.map((i) => i.id)).toEqual([ids.v2, ids.canceled, ids.failing, ids.small]);
      const pages = [await search('sortBy=businessKey&sortOrder=asc&limit=3&offset=0'), await search('sortBy=businessKey&sortOrder=asc&limit=3&offset=3')];
      expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(asc.items.map((i) => i.id));
      expect(pages[1].total).toBe(4);
    });

    it('refuses an unknown sort field, a value that is not JSON and a name without a value, naming the field', async () => {
      const sort = await t.api.get('/api/process-instances?sortBy=state%3Bdrop');
      const value = await t.api.get('/api/process-instances?variableName=amount&variableValue=gold');
      const alone = await t.api.get('/api/process-instances?variableName=amount');
      const date = await t.api.get('/api/process-instances?startedAfter=yesterday');
      for (const [res, field] of [[sort, 'sortBy'], [value, 'variableValue'], [alone, 'variableValue'], [date, 'startedAfter']] as const) {
        expect(res.status).toBe(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
      }
    });
  });

  it('counts the instances of each definition version by state, with incidents', async () => {
    // when
    const res = await bearer(t.weft.url!, operator).get('/api/process-definitions/statistics');
    // then
    expect(res.status).toBe(200);
    const byVersion = Object.fromEntries(res.body.items.filter((d: { processId: string }) => d.processId === 'order-approval').map((d: { version: number }) => [d.version, d]));
    expect(byVersion[1]).toMatchObject({ processId: 'order-approval', active: 2, withIncidents: 1, completed: 0, canceled: 1 });
    expect(byVersion[2]).toMatchObject({ processId: 'order-approval', name: 'Order approval (v2)', active: 1, withIncidents: 0, canceled: 0 });
    expect((await bearer(t.weft.url!, user).get('/api/process-definitions/statistics')).status).toBe(403);
  });

  describe('editing variables', () => {
    it('merges them into the scope and the open job, audited with the reason and what was there before', async () => {
      // given
      const job = await jobOf(ids.small);
      // when
      const res = await put(`/api/process-instances/${ids.small}/variables`, { variables: { amount: 2000, note: 'checked' }, reason: 'customer phoned: 2000, not 10' }, operator);
      // then
      expect(res.status).toBe(200);
      expect(res.body.variables).toMatchObject({ amount: 2000, note: 'checked', customer: { tier: 'gold' } });
      expect((await t.api.get(`/api/process-instances/${ids.small}`)).body.variables).toMatchObject({ amount: 2000, note: 'checked' });
      expect((await t.weft.db('jobs').where({ key: job.key }).first()).variables).toMatchObject({ amount: 2000, note: 'checked' });
      const audit = (await t.api.get(`/api/process-instances/${ids.small}/audit`)).body.items.filter((e: { type: string }) => e.type === 'VARIABLES_UPDATED');
      expect(audit).toHaveLength(1);
      expect(audit[0].actor).toContain('o-ops');
      expect(audit[0].payload).toMatchObject({ reason: 'customer phoned: 2000, not 10', variables: { amount: 2000, note: 'checked' }, previous: { amount: 10 }, jobs: [job.key] });
    });

    it('carries the edited value to the worker when the instance continues', async () => {
      // given: the gateway after check-stock sends amounts over 1000 to approval
      const job = await jobOf(ids.small);
      // when
      await t.weft.engine.completeJob(job.key, {}, 'test');
      // then
      await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${ids.small}`)).body.items.length === 1);
    });

    it('is refused for an ended instance, and changes nothing', async () => {
      // given
      const before = await t.weft.db('audit').where({ process_instance_id: ids.canceled }).count({ n: '*' });
      // when
      const res = await put(`/api/process-instances/${ids.canceled}/variables`, { variables: { amount: 1 }, reason: 'too late' });
      // then
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('INSTANCE_NOT_ACTIVE');
      expect(await t.weft.db('audit').where({ process_instance_id: ids.canceled }).count({ n: '*' })).toEqual(before);
    });

    it('is refused to a plain user and a modeler, and changes nothing', async () => {
      // given
      const before = (await t.api.get(`/api/process-instances/${ids.v2}`)).body.variables;
      // when
      const asUser = await put(`/api/process-instances/${ids.v2}/variables`, { variables: { amount: 1 }, reason: 'mine' }, user);
      const asModeler = await put(`/api/process-instances/${ids.v2}/variables`, { variables: { amount: 1 }, reason: 'mine' }, modeler);
      // then
      expect([asUser.status, asModeler.status]).toEqual([403, 403]);
      expect((await t.api.get(`/api/process-instances/${ids.v2}`)).body.variables).toEqual(before);
      expect(await t.weft.db('audit').where({ process_instance_id: ids.v2, type: 'VARIABLES_UPDATED' }).first()).toBeUndefined();
    });

    it('needs a reason and at least one variable, and a scope the instance has', async () => {
      const noReason = await put(`/api/process-instances/${ids.v2}/variables`, { variables: { amount: 1 } });
      const none = await put(`/api/process-instances/${ids.v2}/variables`, { variables: {}, reason: 'nothing' });
      const scope = await put(`/api/process-instances/${ids.v2}/variables`, { scopeKey: 'nowhere', variables: { amount: 1 }, reason: 'x' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.details[0].path).toBe('reason');
      expect(none.status).toBe(400);
      expect(none.body.error.details[0].path).toBe('variables');
      expect(scope.status).toBe(404);
      expect(scope.body.error.message).toContain('scopeKey');
    });
  });

  describe('the change stream', () => {
    let other: Weft;
    beforeAll(async () => {
      // A second engine process on the same database, Redis and prefix.
      other = await startWeft({ config: { ...t.config, port: 0 }, logger: createLogger({ level: 'silent' }), migrate: false, background: false, features: false });
    });
    afterAll(async () => {
      await other?.close();
    });

    it('tells a page connected to one engine which instance a commit on another engine changed', async () => {
      // given: a stream opened on engine A
      const events = await readEvents(`${t.weft.url}/api/events`, { authorization: `Bearer ${operator}` });
      try {
        const job = await jobOf(ids.v2);
        // when: the job is completed through engine B's API
        const done = await fetch(`${other.url}/api/jobs/${job.key}/complete`, { method: 'POST', headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
        expect(done.status).toBe(200);
        // then
        const change = await events.next((e) => e.event === 'instances' && JSON.parse(e.data).ids?.includes(ids.v2));
        expect(JSON.parse(change.data)).toEqual({ ids: expect.arrayContaining([ids.v2]) });
        expect(change.data).not.toContain('amount'); // ids only, never the state
      } finally {
        events.close();
      }
    });

    it('stops listening when the page goes away', async () => {
      // given
      await eventually(async () => t.weft.changes.listening === 0); // the streams of earlier tests are gone
      const before = t.weft.changes.listening;
      const events = await readEvents(`${t.weft.url}/api/events`, { authorization: `Bearer ${operator}` });
      await events.next((e) => e.event === 'ready');
      expect(events.headers.get('content-type')).toContain('text/event-stream');
      expect(t.weft.changes.listening).toBe(before + 1);
      // when
      events.close();
      // then
      await eventually(async () => t.weft.changes.listening === before);
    });

    it('ends its streams when the engine stops, so stopping does not wait for them', async () => {
      // given
      const events = await readEvents(`${other.url}/api/events`, { authorization: `Bearer ${t.weft.adminToken}` });
      await events.next((e) => e.event === 'ready');
      // when
      const stopped = other.close().then(() => 'stopped');
      // then
      await expect(Promise.race([stopped, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5000))])).resolves.toBe('stopped');
      await events.ended;
    });

    it('is refused to a plain user', async () => {
      const res = await fetch(`${t.weft.url}/api/events`, { headers: { authorization: `Bearer ${user}` } });
      expect(res.status).toBe(403);
      await res.body?.cancel();
    });
  });

  it('shows an instance with its path, how often each element ran, and its parent and child linked', async () => {
    // given: a parent whose call activity started a child
    await t.weft.engine.deploy([{ name: 'calls.bpmn', content: calls }], 'test');
    const parent = (await t.weft.engine.startInstance({ processId: 'it-order', variables: { amount: 10, approvalProcess: 'it-approval' } }, 'test')).id;
    const child = await eventually(async () => (await t.weft.db('process_instances').where({ parent_instance_id: parent }).first('id'))?.id as string | undefined);
    // when
    const parentView = (await t.api.get(`/api/process-instances/${parent}`)).body;
    const childView = (await t.api.get(`/api/process-instances/${child}`)).body;
    // then
    expect(parentView.children).toEqual([{ id: child, processId: 'it-approval', version: 1, state: 'ACTIVE', elementId: 'approve' }]);
    expect(parentView.parent).toBeNull();
    expect(childView.parent).toEqual({ instanceId: parent, elementId: 'approve', processId: 'it-order' });
    expect(parentView.activations).toMatchObject({ approve: 1 });
    expect(parentView.flowsTaken.length).toBeGreaterThan(0);
    expect(parentView.scopes[0]).toMatchObject({ key: parent, variables: { amount: 10 } });
    // and the list says which instance a child belongs to
    expect((await search('processId=it-approval')).items).toMatchObject([{ id: child, parentInstanceId: parent }]);
  });
});
