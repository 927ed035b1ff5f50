/**
 * POST /api/process-instances/:id/modification: tokens moved, started and
 * canceled by an operator, through the real engine on Postgres and Redis.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../../engine/weft.js';
import { apiClient, eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { auditTypes, instanceRows, openJob, openTask } from '../../support/operation-helpers.js';

/** The element ids with a token on them now (the detail lists the path taken too). */
const active = (detail: { elements: { elementId: string; state: string }[] }) => detail.elements.filter((e) => e.state === 'ACTIVE' || e.state === 'INCIDENT').map((e) => e.elementId);

const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

describe('modifying a running instance', () => {
  let t: TestWeft;
  const modify = (id: string, body: unknown) => t.api.post(`/api/process-instances/${id}/modification`, body);
  const start = async (processId: string, variables: Record<string, unknown> = {}) => (await t.api.post('/api/process-instances', { processId, variables })).body.id as string;

  beforeAll(async () => {
    t = await startTestWeft();
    const deployed = await t.api.deploy([{ name: 'modify-order.bpmn', xml: read('modify-order.bpmn') }, { name: 'modify-parallel.bpmn', xml: read('modify-parallel.bpmn') }]);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('moves a token from a service task to a user task: the job, its timer and its incident go, the task comes, and the instance goes on from there', async () => {
    // given an instance at 'charge' whose job failed into an incident, with its timer boundary event armed
    const id = await start('modify-order');
    const job = await openJob(t.weft.db, id, 'op-charge');
    expect((await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage: 'card declined' })).status).toBe(200);
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}`)).body.items[0]);

    // when the operator moves the token to 'review'
    const moved = await modify(id, { instructions: [{ type: 'move', fromElementId: 'charge', toElementId: 'review' }], reason: 'charged by phone' });

    // then the instance waits at 'review' only
    expect(moved.status).toBe(200);
    expect(active(moved.body)).toEqual(['review']);
    const rows = await instanceRows(t.weft.db, id);
    expect(rows.jobs).toEqual([{ key: job.key, element_id: 'charge', state: 'CANCELED' }]);
    expect(rows.timers.map((r) => [r.element_id, r.state])).toEqual([['chargeTimeout', 'CANCELED']]);
    expect(rows.incidents).toEqual([{ id: incident.id, state: 'RESOLVED' }]);
    const task = await openTask(t.weft.db, id);
    expect(task.element_id).toBe('review');
    // and the modification is on the record once, with who, why and what
    const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items;
    const modified = audit.filter((e: { type: string }) => e.type === 'INSTANCE_MODIFIED');
    expect(modified).toHaveLength(1);
    expect(modified[0].payload).toEqual({ actor: 'admin', reason: 'charged by phone', instructions: [{ type: 'move', fromElementId: 'charge', toElementId: 'review' }] });
    expect(modified[0].actor).toBe('admin');

    // when a worker still holding the old job completes it
    const stale = await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { charged: true } });
    // then it gets the refusal of any job that is no longer open, and nothing moves
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('JOB_NOT_ACTIVE');
    expect(active((await t.api.get(`/api/process-instances/${id}`)).body)).toEqual(['review']);

    // when the task is completed, the token goes on to the sub-process
    expect((await t.api.post(`/api/tasks/${task.id}/complete`, { variables: { ok: true } })).status).toBe(200);
    const ship = await openJob(t.weft.db, id, 'op-ship');
    expect((await t.api.post(`/api/jobs/${ship.key}/complete`, {})).status).toBe(200);
    const done = await eventually(async () => ((await t.api.get(`/api/process-instances/${id}`)).body.state === 'COMPLETED' ? true : null));
    expect(done).toBe(true);
  });

  it('withdraws the moved-away job from its queue: a worker that then serves its type never runs it', async () => {
    // given a token moved away from 'charge' while its job sat in the BullMQ queue
    const moved = await start('modify-order');
    await openJob(t.weft.db, moved, 'op-charge');
    expect((await modify(moved, { instructions: [{ type: 'move', fromElementId: 'charge', toElementId: 'review' }], reason: 'done by hand' })).status).toBe(200);
    // and a second instance whose 'charge' job is live, queued after it
    const live = await start('modify-order');
    await openJob(t.weft.db, live, 'op-charge');
    // when a worker for the type starts
    const ran: string[] = [];
    const worker = t.weft.worker('op-charge', (job) => {
      ran.push(job.processInstanceId);
      return {};
    });
    try {
      // then it works the live job only
      await eventually(async () => ((await t.api.get(`/api/process-instances/${live}`)).body.elements.some((e: { elementId: string; state: string }) => e.elementId === 'review' && e.state === 'ACTIVE') ? true : null));
      expect(ran).toEqual([live]);
    } finally {
      await worker.close();
    }
  });

  it('restarts one branch of a parallel split before its task, with variables, and the join still waits for both', async () => {
    // given both branches waiting
    const id = await start('modify-parallel');
    const firstInvoice = await openJob(t.weft.db, id, 'op-invoice');
    const pack = await openJob(t.weft.db, id, 'op-pack');

    // when the invoice branch is canceled and started again before 'invoice' with a variable
    const res = await modify(id, {
      instructions: [
        { type: 'cancel', elementId: 'invoice' },
        { type: 'startBefore', elementId: 'invoice', variables: { invoiceTemplate: 'v2' } },
      ],
      reason: 'wrong template',
    });

    // then a new invoice job is made, seeing the variable, and the old one is canceled
    expect(res.status).toBe(200);
    const again = await eventually(() => t.weft.db('jobs').where({ process_instance_id: id, type: 'op-invoice', state: 'ACTIVATABLE' }).whereNot({ key: firstInvoice.key }).first());
    expect(again.variables).toMatchObject({ invoiceTemplate: 'v2' });
    expect((await t.weft.db('jobs').where({ key: firstInvoice.key }).first()).state).toBe('CANCELED');

    // when both branches finish, the join fires once and the instance completes
    expect((await t.api.post(`/api/jobs/${pack.key}/complete`, {})).status).toBe(200);
    expect((await t.api.get(`/api/process-instances/${id}`)).body.state).toBe('ACTIVE');
    expect((await t.api.post(`/api/jobs/${again.key}/complete`, {})).status).toBe(200);
    const detail = await eventually(async () => {
      const d = (await t.api.get(`/api/process-instances/${id}`)).body;
      return d.state === 'COMPLETED' ? d : null;
    });
    expect(detail.variables).toMatchObject({ invoiceTemplate: 'v2' });
  });

  it('starts a token after an element, on its one outgoing flow', async () => {
    // given an instance at 'charge'
    const id = await start('modify-order');
    await openJob(t.weft.db, id, 'op-charge');
    // when a token starts after 'review' and the one at 'charge' is canceled
    const res = await modify(id, { instructions: [{ type: 'startAfter', elementId: 'review' }, { type: 'cancel', elementId: 'charge' }], reason: 'reviewed on paper' });
    // then the token is in the sub-process, at 'ship', and 'review' never ran
    expect(res.status).toBe(200);
    expect(active(res.body).sort()).toEqual(['ship', 'shipping']);
    expect(await t.weft.db('tasks').where({ process_instance_id: id })).toEqual([]);
  });

  it('ends the instance CANCELED when its last token is canceled, as Camunda 8 terminates it', async () => {
    // given an instance whose only token is at 'charge'
    const id = await start('modify-order');
    const job = await openJob(t.weft.db, id, 'op-charge');
    // when that token is canceled by its element instance key
    const key = (await t.api.get(`/api/process-instances/${id}`)).body.elements.find((e: { elementId: string }) => e.elementId === 'charge').id;
    const res = await modify(id, { instructions: [{ type: 'cancel', elementInstanceKey: key }], reason: 'order withdrawn' });
    // then the instance has ended canceled, its job with it
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('CANCELED');
    expect(res.body.endedAt).not.toBeNull();
    expect((await t.weft.db('jobs').where({ key: job.key }).first()).state).toBe('CANCELED');
    const types = await auditTypes(t.weft.db, id);
    expect(types.slice(types.indexOf('INSTANCE_MODIFIED'))).toEqual(expect.arrayContaining(['JOB_CANCELED', 'TIMER_CANCELED', 'ELEMENT_TERMINATED', 'INSTANCE_CANCELED']));
    // and a further modification is refused: it has ended
    const after = await modify(id, { instructions: [{ type: 'startBefore', elementId: 'charge' }], reason: 'again' });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it('refuses what cannot be done with a 4xx naming the element and why, and a refused request changes nothing, not even its valid instructions', async () => {
    // given an instance at 'charge'
    const id = await start('modify-order');
    await openJob(t.weft.db, id, 'op-charge');
    const before = await instanceRows(t.weft.db, id);
    const valid = { type: 'move', fromElementId: 'charge', toElementId: 'review' };
    const cases: [unknown, number, string, RegExp][] = [
      [{ type: 'startBefore', elementId: 'nope' }, 422, 'UNKNOWN_ELEMENT', /'nope'/],
      [{ type: 'startBefore', elementId: 'f2' }, 422, 'ELEMENT_NOT_ACTIVATABLE', /'f2'.*sequence flow/],
      [{ type: 'startBefore', elementId: 'chargeTimeout' }, 422, 'ELEMENT_NOT_ACTIVATABLE', /'chargeTimeout'.*boundary event/],
      [{ type: 'startBefore', elementId: 'shippingStart' }, 422, 'ELEMENT_NOT_ACTIVATABLE', /'shippingStart'.*start before 'shipping'/],
      [{ type: 'startBefore', elementId: 'ship' }, 422, 'ELEMENT_NOT_ACTIVATABLE', /'shipping'.*no active instance/],
      [{ type: 'startAfter', elementId: 'end' }, 422, 'ELEMENT_NOT_ACTIVATABLE', /'end' has 0 outgoing/],
      [{ type: 'cancel', elementId: 'review' }, 409, 'NO_ACTIVE_TOKEN', /No token is at element 'review'/],
      [{ type: 'cancel', elementInstanceKey: '999' }, 409, 'NO_ACTIVE_TOKEN', /999/],
      [{ type: 'move', fromElementId: 'review', toElementId: 'charge' }, 409, 'NO_ACTIVE_TOKEN', /'review'/],
    ];
    for (const [bad, status, code, message] of cases) {
      // when a valid instruction comes with a bad one
      const res = await modify(id, { instructions: [valid, bad], reason: 'trying' });
      // then the bad one is named, by its place in the list
      expect([res.status, res.body.error?.code], JSON.stringify(bad)).toEqual([status, code]);
      expect(res.body.error.message).toMatch(/^instructions\[1\]: /);
      expect(res.body.error.message).toMatch(message);
    }
    // and malformed requests are 400s naming the field
    const malformed: [unknown, string][] = [
      [{ instructions: [valid] }, 'reason'],
      [{ instructions: [valid], reason: '   ' }, 'reason'],
      [{ instructions: [], reason: 'x' }, 'instructions'],
      [{ instructions: [{ type: 'teleport', elementId: 'review' }], reason: 'x' }, 'instructions.0'],
      [{ instructions: [{ type: 'cancel' }], reason: 'x' }, 'instructions.0'],
      [{ instructions: [{ type: 'cancel', elementId: 'charge', elementInstanceKey: '1' }], reason: 'x' }, 'instructions.0'],
      [{ instructions: [{ type: 'startBefore', elementId: 'review', variables: [1] }], reason: 'x' }, 'instructions.0.variables'],
    ];
    for (const [body, field] of malformed) {
      const res = await modify(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path).some((path: string) => path === field || path.startsWith(`${field}.`))).toBe(true);
    }
    // and what Postgres cannot hold is refused at the edge, not written half
    const unstorable = await modify(id, { instructions: [{ type: 'startBefore', elementId: 'review', variables: { note: 'a\u0000b' } }], reason: 'x' });
    expect(unstorable.status).toBe(400);
    const badReason = await modify(id, { instructions: [valid], reason: 'why\u0000' });
    expect(badReason.status).toBe(400);
    // and nothing of the instance changed: state, rows and audit
    expect(await instanceRows(t.weft.db, id)).toEqual(before);
  });

  it('refuses a user or a modeler with 403 and changes nothing', async () => {
    // given an instance at 'charge' and people without the operator role
    const id = await start('modify-order');
    await openJob(t.weft.db, id, 'op-charge');
    const before = await instanceRows(t.weft.db, id);
    for (const role of ['user', 'modeler']) {
      await addUser(t.api, `mod-${role}`, role);
      const token = (await t.api.post('/api/tokens', { user: `mod-${role}`, name: 'try' })).body.token;
      const as = apiClient(t.weft.url!, token);
      // when they try to move the token
      const res = await as.post(`/api/process-instances/${id}/modification`, { instructions: [{ type: 'move', fromElementId: 'charge', toElementId: 'review' }], reason: 'mine' });
      // then they are refused
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await instanceRows(t.weft.db, id)).toEqual(before);
  });

  describe('after a restart', () => {
    let second: Weft | undefined;
    afterAll(async () => {
      await second?.close();
    });

    it('a wait state made by a modification survives the engine stopping, and the instance continues on another engine', async () => {
      // given a token moved into the sub-process (a job at 'ship'), then the engine stops
      const id = await start('modify-order');
      await openJob(t.weft.db, id, 'op-charge');
      const res = await modify(id, { instructions: [{ type: 'move', fromElementId: 'charge', toElementId: 'shipping' }], reason: 'skip review' });
      expect(res.status).toBe(200);
      await t.weft.close();

      // when another engine starts on the same database and Redis, with a worker for 'op-ship'
      second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false });
      second.worker('op-ship', () => ({ shipped: true }));

      // then the job made by the modification is worked and the instance completes
      const done = await eventually(async () => {
        const detail = await second!.engine.getInstance(id);
        return detail.state === 'COMPLETED' && detail;
      }, 20_000);
      expect(done.variables).toMatchObject({ shipped: true });
    });
  });
});
