/**
 * Weft as an MCP server: the SDK's own Client over Streamable HTTP with a
 * Bearer token drives Weft's /mcp endpoint. Each tool is allowed to exactly
 * the callers its /api route allows, a refusal is a tool error that changes
 * nothing, and every call is on the record under the caller's name.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { addUser, fixture, signIn } from '../fixtures/people/client.js';

const awaitPayment = readFileSync(new URL('../fixtures/mcp-server/await-payment.bpmn', import.meta.url), 'utf8');

describe('Weft as an MCP server', () => {
  let t: TestWeft;
  let mcpUrl: URL;
  const tokens: Record<string, string> = {};
  const clients: Client[] = [];

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'weft-mcp-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return client;
  }

  /** A tool call's answer: the parsed JSON text, and whether it was an error. */
  async function call(client: Client, name: string, args: Record<string, unknown>) {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // an SDK-level validation message is plain text
    }
    return { isError: result.isError === true, text, json, structured: result.structuredContent as any };
  }

  const instanceCount = async () => Number((await t.weft.db('process_instances').count({ n: '*' }))[0].n);

  beforeAll(async () => {
    t = await startTestWeft();
    mcpUrl = new URL('/mcp', t.weft.url);
    expect((await t.api.deploy([{ name: 'await-payment.bpmn', xml: awaitPayment }])).status).toBe(201);
    const invoice = [{ name: 'invoice-approval.bpmn', xml: fixture('invoice-approval.bpmn') }, { name: 'invoice-approval.form', xml: fixture('invoice-approval.form') }];
    expect((await t.api.deploy(invoice)).status).toBe(201);
    for (const [name, role, groups] of [['oscar', 'operator', []], ['alice', 'user', ['finance']], ['carol', 'user', ['sales']], ['wanda', 'user', []]] as const) {
      await addUser(t.api, name, role, [...groups]);
      tokens[name] = (await t.api.post('/api/tokens', { user: name, name: 'mcp' })).body.token;
    }
    tokens.worker = (await t.api.post('/api/tokens', { user: 'wanda', name: 'mcp-worker', scopes: ['worker'] })).body.token;
    tokens.admin = t.weft.adminToken;
  });
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await t?.stop();
  });

  it('lists its tools, each with a description and an input schema naming its fields', async () => {
    // given
    const alice = await connect(tokens.alice);
    // when
    const { tools } = await alice.listTools();
    // then
    expect(tools.map((tool) => tool.name).sort()).toEqual(['claim_task', 'complete_task', 'get_instance', 'list_my_tasks', 'list_processes', 'publish_message', 'start_instance']);
    for (const tool of tools) expect(tool.description?.length).toBeGreaterThan(40);
    const start = tools.find((tool) => tool.name === 'start_instance')!;
    expect(start.inputSchema.properties).toHaveProperty('processId');
    expect(start.inputSchema.required).toEqual(['processId']);
    expect(start.description).toContain('Needs the admin or modeler or operator role');
    expect(alice.getServerVersion()?.name).toBe('weft');
  });

  it('lets an operator list the processes, start an instance and read it, recorded under the operator', async () => {
    // given
    const oscar = await connect(tokens.oscar);
    // when
    const listed = await call(oscar, 'list_processes', {});
    const started = await call(oscar, 'start_instance', { processId: 'await-payment', variables: { orderId: 'o-1' }, businessKey: 'order-1' });
    const read = await call(oscar, 'get_instance', { instanceId: started.json.id });
    // then
    expect(listed.isError).toBe(false);
    expect(listed.json.items.map((p: any) => [p.processId, p.name, p.version])).toEqual([
      ['await-payment', 'Await payment', 1],
      ['invoice-approval', 'Invoice approval', 1],
    ]);
    expect(listed.structured).toEqual(listed.json);
    expect(started.isError).toBe(false);
    expect(started.json).toMatchObject({ processId: 'await-payment', state: 'ACTIVE', businessKey: 'order-1' });
    expect(read.json).toMatchObject({ id: started.json.id, state: 'ACTIVE', variables: { orderId: 'o-1' }, incidents: [] });
    expect(read.json.activeElements.map((e: any) => e.elementId)).toEqual(['wait-for-payment']);
    const created = await t.weft.db('audit').where({ process_instance_id: started.json.id, type: 'INSTANCE_CREATED' }).first();
    expect(created.actor).toBe('user:oscar');
  });

  it('lets a plain user find, claim and complete a task offered to them, with the form rules of the task API', async () => {
    // given: an invoice whose approval is offered to the finance group
    const { body: instance } = await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2030-01-01T00:00:00Z', priority: 60 } });
    const alice = await connect(tokens.alice);
    const carol = await connect(tokens.carol);
    // when
    const inbox = await eventually(async () => {
      const listed = await call(alice, 'list_my_tasks', { processId: 'invoice-approval' });
      return listed.json.items.find((task: any) => task.processInstanceId === instance.id);
    });
    const carolsInbox = await call(carol, 'list_my_tasks', {});
    const carolClaims = await call(carol, 'claim_task', { taskId: inbox.id });
    const unclaimed = await call(alice, 'complete_task', { taskId: inbox.id, variables: { supplier: 'ACME', amount: 120, decision: 'approve' } });
    const claimed = await call(alice, 'claim_task', { taskId: inbox.id });
    const badForm = await call(alice, 'complete_task', { taskId: inbox.id, variables: { supplier: 'ACME', amount: 99_999, decision: 'approve' } });
    const done = await call(alice, 'complete_task', { taskId: inbox.id, variables: { supplier: 'ACME', amount: 120, decision: 'approve' } });
    // then
    expect(inbox).toMatchObject({ name: 'Approve the invoice', candidateGroups: ['finance'], assignee: null, formId: 'invoice-approval-form' });
    expect(carolsInbox.json.items.map((task: any) => task.id)).not.toContain(inbox.id);
    expect(carolClaims).toMatchObject({ isError: true, json: { error: { code: 'FORBIDDEN' } } });
    expect(unclaimed.json.error.message).toBe(`Claim task ${inbox.id} before completing it`);
    expect(claimed.json).toMatchObject({ id: inbox.id, assignee: 'alice' });
    expect(badForm).toMatchObject({ isError: true, json: { error: { code: 'VARIABLES_INVALID' } } });
    expect(badForm.json.error.message).toContain('amount');
    expect(done).toMatchObject({ isError: false, json: { ok: true, duplicate: false } });
    const task = await t.weft.db('tasks').where({ id: inbox.id }).first();
    expect(task).toMatchObject({ state: 'COMPLETED', completed_by: 'user:alice' });
    const completed = await t.weft.db('audit').where({ process_instance_id: instance.id, type: 'TASK_COMPLETED' }).first();
    expect(completed.actor).toBe('user:alice');
  });

  it('publishes a message that a waiting instance receives', async () => {
    // given
    const { body: instance } = await t.api.post('/api/process-instances', { processId: 'await-payment', variables: { orderId: 'o-2' } });
    await eventually(async () => (await t.weft.db('process_instances').where({ id: instance.id }).first()).status === 'ACTIVE');
    const worker = await connect(tokens.worker);
    // when
    const published = await call(worker, 'publish_message', { name: 'payment-received', correlationKey: 'o-2', variables: { paid: 120 }, messageId: 'pay-o-2' });
    // then
    expect(published.isError).toBe(false);
    expect(published.json.correlated).toHaveLength(1);
    const read = await eventually(async () => {
      const detail = (await t.api.get(`/api/process-instances/${instance.id}`)).body;
      return detail.state === 'COMPLETED' ? detail : null;
    });
    expect(read.variables).toMatchObject({ orderId: 'o-2', paid: 120 });
    const correlated = await t.weft.db('audit').where({ process_instance_id: instance.id, type: 'MESSAGE_CORRELATED' }).first();
    expect(correlated.actor).toBe('user:wanda');
  });

  it('refuses a call its route would refuse, saying which role it needs, and changes nothing', async () => {
    // given
    const alice = await connect(tokens.alice);
    const before = await instanceCount();
    const { body: waiting } = await t.api.post('/api/process-instances', { processId: 'await-payment', variables: { orderId: 'o-3' } });
    // when
    const start = await call(alice, 'start_instance', { processId: 'await-payment', variables: { orderId: 'forged' } });
    const read = await call(alice, 'get_instance', { instanceId: waiting.id });
    const publish = await call(alice, 'publish_message', { name: 'payment-received', correlationKey: 'o-3' });
    // then
    expect(start).toMatchObject({ isError: true, json: { error: { code: 'FORBIDDEN' } } });
    expect(start.json.error.message).toBe('start_instance needs the admin or modeler or operator role (as POST /api/process-instances does)');
    expect(read.json.error.message).toBe('get_instance needs the admin or operator role (as GET /api/process-instances/:id does)');
    expect(publish.json.error.message).toContain('needs the admin or operator role, or a token with the worker or agent-worker scope');
    expect(await instanceCount()).toBe(before + 1);
    expect((await t.api.get(`/api/process-instances/${waiting.id}`)).body.state).toBe('ACTIVE');
  });

  it('answers a bad argument with a tool error naming the field', async () => {
    // given
    const oscar = await connect(tokens.oscar);
    const before = await instanceCount();
    // when
    const missing = await call(oscar, 'start_instance', { variables: {} });
    const unknownField = await call(oscar, 'publish_message', { name: 'payment-received', timeToLive: 1000 });
    const notAnObject = await call(oscar, 'start_instance', { processId: 'await-payment', variables: ['a'] });
    const tooLong = await call(oscar, 'publish_message', { name: 'payment-received', timeToLiveMs: 99_999_999_999 });
    const nul = await call(oscar, 'start_instance', { processId: 'await-payment', variables: { note: 'a\u0000b' } });
    const unknownProcess = await call(oscar, 'start_instance', { processId: 'no-such-process' });
    const badId = await call(oscar, 'get_instance', { instanceId: 'not-a-uuid' });
    // then
    expect(missing).toMatchObject({ isError: true });
    expect(missing.text).toContain('processId');
    expect(unknownField.text).toContain('timeToLive');
    expect(notAnObject.text).toContain('variables');
    expect(tooLong.json.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: 'timeToLiveMs' }] });
    expect(nul.json.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ path: 'variables.note' }] });
    expect(unknownProcess.json.error.code).toBe('PROCESS_NOT_FOUND');
    expect(badId.json.error.code).toBe('INSTANCE_NOT_FOUND');
    expect(await instanceCount()).toBe(before);
  });

  describe('the HTTP edge', () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } };
    const post = (headers: Record<string, string>, body: unknown = initialize) =>
      fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });

    it('refuses a caller without a token with 401 and a Bearer challenge pointing at the resource metadata', async () => {
      // when
      const res = await post({});
      // then
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="weft", resource_metadata="${t.weft.url}/.well-known/oauth-protected-resource/mcp"`);
      const metadata = await (await fetch(`${t.weft.url}/.well-known/oauth-protected-resource/mcp`)).json();
      expect(metadata).toEqual({ resource: `${t.weft.url}/mcp`, bearer_methods_supported: ['header'], resource_name: 'Weft' });
    });

    it('refuses a bad token, and the SDK client cannot connect with one', async () => {
      const res = await post({ authorization: 'Bearer weft_not-a-token' });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      await expect(connect('weft_not-a-token')).rejects.toMatchObject({ code: 401, message: expect.stringContaining('Invalid bearer token') });
    });

    it('does not take a browser session in place of a token', async () => {
      const session = await signIn(t.weft.url!, 'alice', 'alice-password');
      const res = await post({ cookie: session.cookie, 'x-csrf-token': session.csrfToken });
      expect(res.status).toBe(401);
    });

    it('refuses a page of another origin, token or not', async () => {
      const res = await post({ authorization: `Bearer ${tokens.admin}`, origin: 'http://evil.example' });
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toContain('WEFT_MCP_ALLOWED_ORIGINS');
    });

    it('answers initialize statelessly: no session id, and GET has no stream to offer', async () => {
      const res = await post({ authorization: `Bearer ${tokens.alice}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('mcp-session-id')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await res.json()).result.serverInfo.name).toBe('weft');
      const get = await fetch(mcpUrl, { headers: { authorization: `Bearer ${tokens.alice}`, accept: 'text/event-stream' } });
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
    });

    it('answers a `__proto__` in tool arguments as a tool error, before the SDK parses it', async () => {
      const body = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"start_instance","arguments":{"processId":"await-payment","variables":{"__proto__":{"admin":true}}}}}`;
      const res = await fetch(mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${tokens.oscar}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body });
      const answer = await res.json();
      expect(answer).toMatchObject({ id: 7, result: { isError: true } });
      expect(answer.result.structuredContent.error.details[0].path).toBe('variables.__proto__');
    });

    it('refuses a body larger than the API accepts', async () => {
      const big = { ...initialize, params: { ...initialize.params, padding: 'x'.repeat(1_100_000) } };
      const res = await post({ authorization: `Bearer ${tokens.alice}` }, big);
      expect(res.status).toBe(413);
    });
  });
});
