/**
 * Weft as an A2A agent: an administrator exposes a process, and the SDK's own
 * client, as an outside agent, fetches its Agent Card, sends a message (an
 * instance starts), polls tasks/get until the instance completes with its
 * result as an artifact, and cancels a task (the instance is canceled).
 * Authenticated and authorised as POST /api/process-instances is.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendMessageRequest, TaskState, type Task } from '@a2a-js/sdk';
import { Client, ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';

const xml = readFileSync(new URL('./a2a-inbound.bpmn', import.meta.url), 'utf8');

/** The SDK's client, with a Weft token on every request. */
async function a2aClient(cardUrl: string, token?: string): Promise<Client> {
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
      clientConfig: { polling: true },
    }),
  );
  return factory.createFromUrl(cardUrl, '');
}

const send = (client: Client, text: string, data?: Record<string, unknown>) =>
  client.sendMessage(SendMessageRequest.fromJSON({ message: { messageId: `m-${Math.random()}`, role: 'ROLE_USER', parts: [{ text }, ...(data ? [{ data }] : [])] }, configuration: { returnImmediately: true } })) as Promise<Task>;

describe('A2A inbound: exposed processes', () => {
  let t: TestWeft;
  const tokens: Record<string, string> = {};
  const cardOf = (processId: string) => `${t.weft.url}/a2a/${processId}/.well-known/agent-card.json`;
  const instanceCount = async () => Number((await t.weft.db('process_instances').count('* as n').first())!.n);

  beforeAll(async () => {
    t = await startTestWeft({}, { config: { exampleWorkers: false } });
    expect((await t.api.deploy([{ name: 'a2a-inbound.bpmn', xml }])).status).toBe(201);
    t.weft.worker('a2a-test.quote', async (job) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { quote: { item: job.variables.a2aMessage, price: Number(job.variables.amount) * 2 }, internalNote: 'not for outsiders' };
    });
    for (const role of ['modeler', 'operator', 'user'] as const) {
      await addUser(t.api, `a2a-${role}`, role);
      tokens[role] = (await t.api.post('/api/tokens', { user: `a2a-${role}`, name: 'a2a' })).body.token;
    }
    const exposed = await fetch(`${t.weft.url}/api/a2a/exposed/a2a-quote`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Quoter', description: 'Quotes a price', skills: [{ id: 'quote', name: 'Quote', tags: ['sales'] }], outputVariables: ['quote'] }),
    });
    expect(exposed.status).toBe(200);
    await fetch(`${t.weft.url}/api/a2a/exposed/a2a-hold`, { method: 'PUT', headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('publishes an Agent Card for an exposed process, declaring the Bearer scheme', async () => {
    const res = await fetch(cardOf('a2a-quote'));
    expect(res.status).toBe(200);
    const card = await res.json();
    expect(card).toMatchObject({
      name: 'Quoter',
      description: 'Quotes a price',
      supportedInterfaces: [
        { url: `${t.weft.url}/a2a/a2a-quote`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        { url: `${t.weft.url}/a2a/a2a-quote`, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      ],
      securitySchemes: { weftToken: { httpAuthSecurityScheme: { scheme: 'Bearer' } } },
      skills: [{ id: 'quote', name: 'Quote', tags: ['sales'] }],
    });
    expect((await t.api.get('/api/a2a/exposed')).body.items.map((e: any) => e.processId)).toEqual(['a2a-hold', 'a2a-quote']);
  });

  it('message/send starts an instance; tasks/get follows it until it completes with its result as an artifact', async () => {
    // given the SDK's client with a modeler's token (a role that may start instances)
    const client = await a2aClient(cardOf('a2a-quote'), tokens.modeler);
    // when
    const sent = await send(client, 'ten bolts', { amount: 21 });
    // then the task is working, tied to a new instance started with the message's variables
    expect(sent.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    const instanceId = sent.metadata?.processInstanceId;
    const instance = (await t.api.get(`/api/process-instances/${instanceId}`)).body;
    expect(instance).toMatchObject({ processId: 'a2a-quote', variables: { a2aMessage: 'ten bolts', amount: 21 } });
    const audit = (await t.api.get(`/api/process-instances/${instanceId}/audit`)).body.items;
    expect(audit[0].actor).toBe('user:a2a-modeler');
    // and polled, it completes with only the exposed output variables
    const done = await eventually(async () => {
      const task = await client.getTask({ id: sent.id, tenant: '' });
      return task.status?.state === TaskState.TASK_STATE_COMPLETED && task;
    });
    expect(done.artifacts).toHaveLength(1);
    const part = done.artifacts[0].parts[0];
    expect(part.content).toEqual({ $case: 'data', value: { quote: { item: 'ten bolts', price: 42 } } });
    expect(JSON.stringify(done)).not.toContain('not for outsiders');
  });

  it('a client on protocol 0.3 uses message/send and tasks/get', async () => {
    // given a plain JSON-RPC client without an A2A-Version header, as v0.3 clients are
    const rpc = async (method: string, params: unknown) => {
      const res = await fetch(`${t.weft.url}/a2a/a2a-quote`, { method: 'POST', headers: { authorization: `Bearer ${tokens.operator}`, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
      expect(res.status).toBe(200);
      return (await res.json()) as any;
    };
    // when
    const sent = await rpc('message/send', { message: { kind: 'message', messageId: 'v03-1', role: 'user', parts: [{ kind: 'text', text: 'two nuts' }, { kind: 'data', data: { amount: 3 } }] }, configuration: { blocking: false } });
    // then
    expect(sent.result).toMatchObject({ kind: 'task', status: { state: 'working' } });
    const done = await eventually(async () => {
      const got = await rpc('tasks/get', { id: sent.result.id });
      return got.result?.status?.state === 'completed' && got.result;
    });
    expect(done.artifacts[0].parts[0]).toMatchObject({ kind: 'data', data: { quote: { item: 'two nuts', price: 6 } } });
  });

  it('tasks/cancel cancels the instance', async () => {
    const client = await a2aClient(cardOf('a2a-hold'), tokens.operator);
    const sent = await send(client, 'hold on');
    const canceled = await client.cancelTask({ id: sent.id, tenant: '', metadata: {} });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect((await t.api.get(`/api/process-instances/${sent.metadata?.processInstanceId}`)).body.state).toBe('CANCELED');
    expect((await client.getTask({ id: sent.id, tenant: '' })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("another caller's task is not found", async () => {
    const mine = await send(await a2aClient(cardOf('a2a-hold'), tokens.modeler), 'mine');
    const theirs = await a2aClient(cardOf('a2a-hold'), tokens.operator);
    await expect(theirs.getTask({ id: mine.id, tenant: '' })).rejects.toThrow(/not found/i);
    await expect(theirs.cancelTask({ id: mine.id, tenant: '', metadata: {} })).rejects.toThrow(/not found/i);
    expect((await t.api.get(`/api/process-instances/${mine.metadata?.processInstanceId}`)).body.state).toBe('ACTIVE');
  });

  it('a process that is not exposed has no card and no endpoint (404)', async () => {
    expect((await fetch(cardOf('a2a-private'))).status).toBe(404);
    expect((await fetch(cardOf('no-such-process'))).status).toBe(404);
    const before = await instanceCount();
    const res = await fetch(`${t.weft.url}/a2a/a2a-private`, { method: 'POST', headers: { authorization: `Bearer ${tokens.modeler}`, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'x', role: 'ROLE_USER', parts: [{ text: 'hi' }] } } }) });
    expect(res.status).toBe(404);
    expect(await instanceCount()).toBe(before);
  });

  it('no token: 401; a plain user token: refused, and no instance starts', async () => {
    const before = await instanceCount();
    const anonymous = await a2aClient(cardOf('a2a-quote'));
    await expect(send(anonymous, 'one nut', { amount: 1 })).rejects.toThrow(/401/);
    const user = await a2aClient(cardOf('a2a-quote'), tokens.user);
    await expect(send(user, 'one nut', { amount: 1 })).rejects.toThrow(/403/);
    expect(await instanceCount()).toBe(before);
    expect(await t.weft.db('a2a_tasks').where({ owner: 'user:a2a-user' })).toEqual([]);
  });

  it('exposing: admins only, a deployed process, a body checked field by field; withdrawing removes the card', async () => {
    const put = (processId: string, body: unknown, token = t.weft.adminToken) =>
      fetch(`${t.weft.url}/api/a2a/exposed/${processId}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('a2a-private', {}, tokens.modeler)).status).toBe(403);
    expect((await put('not-deployed', {})).status).toBe(404);
    const bad = await put('a2a-private', { skills: [{ id: 'bad id!', name: 'x' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('skills.0.id');
    expect((await put('a2a-private', { name: 'Private' })).status).toBe(200);
    expect((await fetch(cardOf('a2a-private'))).status).toBe(200);
    const removed = await fetch(`${t.weft.url}/api/a2a/exposed/a2a-private`, { method: 'DELETE', headers: { authorization: `Bearer ${t.weft.adminToken}` } });
    expect(removed.status).toBe(204);
    expect((await fetch(cardOf('a2a-private'))).status).toBe(404);
    const audit = await t.weft.db('audit').whereIn('type', ['A2A_PROCESS_EXPOSED', 'A2A_PROCESS_WITHDRAWN']).andWhereRaw("payload->>'processId' = 'a2a-private'").orderBy('id');
    expect(audit.map((a) => [a.type, a.actor])).toEqual([
      ['A2A_PROCESS_EXPOSED', 'admin'],
      ['A2A_PROCESS_WITHDRAWN', 'admin'],
    ]);
  });
});
