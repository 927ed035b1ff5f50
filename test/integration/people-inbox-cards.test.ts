/**
 * The inbox's cards (GET /api/inbox/tasks), its search, its tabs' counts and
 * the completed view (GET /api/inbox/completed): what a card shows is the
 * process's name, the creation time and only the variables the process chose
 * (task header weft:cardVariables); search finds a business value; nobody
 * sees another person's tasks or completions.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { addUser, bearer, fixture, signIn, type Client } from '../fixtures/people/client.js';

describe('people: the inbox cards, search and completed tasks', () => {
  let t: TestWeft;
  let alice: Client, bob: Client, carol: Client;

  async function startOrder(orderNumber: string, extra: Record<string, unknown> = {}) {
    const started = await t.api.post('/api/process-instances', {
      processId: 'Process_6t33aa',
      variables: { orderNumber, customer: 'Globex', total: 420, creditCard: '4111-1111-1111-1111', ...extra },
    });
    expect(started.status).toBe(201);
    return eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
  }

  beforeAll(async () => {
    t = await startTestWeft();
    await addUser(t.api, 'alice', 'user', ['finance']);
    await addUser(t.api, 'bob', 'user', ['finance']);
    await addUser(t.api, 'carol', 'user', ['sales']);
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => signIn(t.weft.url!, n, `${n}-password`)));
    const deployed = await t.api.deploy([
      { name: 'order-approval.bpmn', xml: fixture('order-approval.bpmn') },
      { name: 'order-approval.form', xml: fixture('order-approval.form') },
      { name: 'unnamed-review.bpmn', xml: fixture('unnamed-review.bpmn') },
    ]);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('shows the process name, the creation time and only the variables the process chose', async () => {
    // given
    const task = await startOrder('SO-1001');
    // when
    const res = await alice.get('/api/inbox/tasks?scope=claimable');
    // then
    expect(res.status).toBe(200);
    const card = res.body.items.find((c: { id: string }) => c.id === task.id);
    expect(card).toMatchObject({ name: 'Approve order', processId: 'Process_6t33aa', processName: 'Order approval', createdAt: task.createdAt });
    expect(card.fields).toEqual([
      { name: 'orderNumber', value: 'SO-1001' },
      { name: 'customer', value: 'Globex' },
      { name: 'total', value: 420 },
    ]);
    // the other variables never leave the server with a card
    expect(JSON.stringify(res.body)).not.toContain('4111');
    expect(card).not.toHaveProperty('variables');
  });

  it('falls back to the process id when the process has no name, and shows no fields when none were chosen', async () => {
    const started = await t.api.post('/api/process-instances', { processId: 'unnamed-review', variables: { orderNumber: 'SO-HIDDEN' } });
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    const card = (await alice.get('/api/inbox/tasks?scope=claimable')).body.items.find((c: { id: string }) => c.id === task.id);
    expect(card).toMatchObject({ processId: 'unnamed-review', processName: null, fields: [] });
    // a variable that is not on the card is not searchable either
    expect((await alice.get('/api/inbox/tasks?scope=claimable&search=SO-HIDDEN')).body.items).toEqual([]);
  });

  it('finds a task by a business value on its card, by its process name, and only among the caller\'s own tasks', async () => {
    // given two orders
    const wanted = await startOrder('SO-7781');
    await startOrder('SO-7790');
    // when alice searches for the order number
    const byNumber = await alice.get('/api/inbox/tasks?scope=claimable&search=so-7781');
    // then exactly that task is found, on the server
    expect(byNumber.body.items.map((c: { id: string }) => c.id)).toEqual([wanted.id]);
    expect(byNumber.body.total).toBe(1);
    // the process name finds every order; /api/tasks searches the same way
    const byProcess = await alice.get('/api/inbox/tasks?scope=claimable&search=order%20approval&limit=500');
    expect(byProcess.body.items.map((c: { id: string }) => c.id)).toContain(wanted.id);
    expect((await alice.get('/api/tasks?scope=claimable&search=SO-7781')).body.items.map((x: { id: string }) => x.id)).toEqual([wanted.id]);
    // LIKE's own characters are taken literally
    expect((await alice.get('/api/inbox/tasks?scope=claimable&search=SO-77%25')).body.items).toEqual([]);
    // carol (sales) is offered none of them, whatever she searches
    expect((await carol.get('/api/inbox/tasks?scope=claimable&search=SO-7781')).body).toMatchObject({ items: [], total: 0, counts: { mine: 0, claimable: 0 } });
  });

  it('uses the trigram index to search', async () => {
    const plan = await t.weft.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      return (await trx.raw(`EXPLAIN SELECT id FROM tasks WHERE search_text ILIKE ?`, ['%SO-7781%'])).rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('tasks_search_text_trgm_idx');
  });

  it('reads the claimable tab and a group\'s tasks from indexes, not by scanning every task', async () => {
    // given the statements the claimable tab and GET /api/tasks?candidateGroup= send to Postgres
    const sent: { sql: string; bindings: unknown[] }[] = [];
    const listen = (q: { sql: string; bindings?: unknown[] }) => {
      if (q.sql.includes('from "tasks"')) sent.push({ sql: q.sql, bindings: q.bindings ?? [] });
    };
    t.weft.db.on('query', listen);
    try {
      expect((await alice.get('/api/inbox/tasks?scope=claimable')).status).toBe(200);
      expect((await t.api.get('/api/tasks?candidateGroup=finance')).status).toBe(200);
    } finally {
      t.weft.db.off('query', listen);
    }
    // when each is planned over 20,000 open tasks offered to other groups (rolled back after), sequential scans priced out
    const client = new pg.Client({ connectionString: t.config.databaseUrl });
    await client.connect();
    const plans: string[] = [];
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO tasks (id, process_instance_id, process_id, element_id, element_instance_key, state, candidate_groups, headers, variables)
        SELECT gen_random_uuid(), gen_random_uuid(), 'bulk', 'review', g::text, 'CREATED', ARRAY['bulk-' || g % 100], '{}', '{}' FROM generate_series(1, 20000) g`);
      await client.query('ANALYZE tasks');
      await client.query('SET LOCAL enable_seqscan = off');
      for (const s of sent) plans.push((await client.query(`EXPLAIN ${s.sql}`, s.bindings)).rows.map((r) => r['QUERY PLAN']).join('\n'));
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    // then an index answers who a task is offered to, for the user and for the groups
    for (const plan of plans) expect(plan).not.toContain('Seq Scan on tasks');
    expect(plans.join('\n')).toContain('tasks_candidate_users_idx');
    expect(plans.join('\n')).toContain('tasks_candidate_groups_idx');
  });

  it('counts both tabs under the same filters', async () => {
    // given a task alice claimed
    const task = await startOrder('SO-COUNT-1');
    expect((await alice.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);
    // when
    const mine = (await alice.get('/api/inbox/tasks?scope=mine&search=SO-COUNT')).body;
    const bobs = (await bob.get('/api/inbox/tasks?scope=mine&search=SO-COUNT')).body;
    // then
    expect(mine).toMatchObject({ total: 1, counts: { mine: 1, claimable: 0 } });
    expect(mine.items[0]).toMatchObject({ id: task.id, assignee: 'alice' });
    expect(bobs).toMatchObject({ items: [], counts: { mine: 0, claimable: 0 } });
  });

  it('lists the tasks the caller completed, newest first and paged, and no one else\'s', async () => {
    // given alice completes two orders and bob one
    const done: string[] = [];
    for (const [who, n] of [[alice, 'SO-DONE-1'], [bob, 'SO-DONE-2'], [alice, 'SO-DONE-3']] as const) {
      const task = await startOrder(n);
      expect((await who.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);
      expect((await who.post(`/api/tasks/${task.id}/complete`, { variables: { decision: 'approve' } })).status).toBe(200);
      done.push(task.id);
    }
    // when
    const page1 = (await alice.get('/api/inbox/completed?limit=1')).body;
    const page2 = (await alice.get('/api/inbox/completed?limit=1&offset=1')).body;
    const bobs = (await bob.get('/api/inbox/completed')).body;
    // then
    expect(page1).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect([...page1.items, ...page2.items].map((c: { id: string }) => c.id)).toEqual([done[2], done[0]]);
    expect(page1.items[0]).toMatchObject({ state: 'COMPLETED', processName: 'Order approval', fields: [{ name: 'orderNumber', value: 'SO-DONE-3' }, { name: 'customer', value: 'Globex' }, { name: 'total', value: 420 }] });
    expect(Date.parse(page1.items[0].completedAt)).toBeGreaterThanOrEqual(Date.parse(page2.items[0].completedAt));
    expect(bobs.items.map((c: { id: string }) => c.id)).toEqual([done[1]]);
    // carol completed nothing; an admin sees only what the admin completed, too
    expect((await carol.get('/api/inbox/completed')).body).toMatchObject({ items: [], total: 0 });
    expect((await t.api.get('/api/inbox/completed')).body.items).toEqual([]);
  });

  it('treats the admin token as the assignee `admin`: its claims are its own tasks', async () => {
    // given
    const me = (await t.api.get('/api/me')).body;
    expect(me).toMatchObject({ id: 'admin', user: null, assignee: 'admin' });
    const task = await startOrder('SO-ADMIN');
    // when the admin claims for the name /api/me gave
    expect((await t.api.post(`/api/tasks/${task.id}/claim`, { assignee: me.assignee })).status).toBe(200);
    // then it is in the admin's "My tasks", and alice no longer sees it
    expect((await t.api.get('/api/inbox/tasks?scope=mine&search=SO-ADMIN')).body.items.map((c: { id: string }) => c.id)).toEqual([task.id]);
    expect((await alice.get('/api/inbox/tasks?scope=claimable&search=SO-ADMIN')).body.items).toEqual([]);
  });

  it('answers a wrong query with a 400 naming the field, and no credential with a 401', async () => {
    const wrongScope = await alice.get('/api/inbox/tasks?scope=everything');
    expect(wrongScope.status).toBe(400);
    expect(JSON.stringify(wrongScope.body.error)).toContain('scope');
    const wrongLimit = await alice.get('/api/inbox/completed?limit=0');
    expect(wrongLimit.status).toBe(400);
    expect(JSON.stringify(wrongLimit.body.error)).toContain('limit');
    expect((await bearer(t.weft.url!, 'weft_not-a-token').get('/api/inbox/completed')).status).toBe(401);
    expect((await fetch(`${t.weft.url}/api/inbox/tasks`)).status).toBe(401);
  });
});
