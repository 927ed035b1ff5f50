/**
 * The `mcp` connector, run by the engine's connector workers against real
 * MCP servers from the SDK (the Streamable HTTP fixture and the stdio
 * fixture), each a named connection: a diagram names the connection, never
 * a command or a URL.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { startMcpHttpServer } from '../../fixtures/agents/mcp-http-server.js';
import { defaultConnections } from '../../../engine/connections/load-connections.js';

const fixture = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
const STDIO_SERVER = fileURLToPath(new URL('../../fixtures/agents/mcp-server.mjs', import.meta.url));

describe('the mcp connector', () => {
  let t: TestWeft;
  let http: Awaited<ReturnType<typeof startMcpHttpServer>>;

  beforeAll(async () => {
    http = await startMcpHttpServer();
    const connections = { ...defaultConnections(process.env), assets: { kind: 'mcp' as const, url: http.url }, kb: { kind: 'mcp' as const, command: process.execPath, args: [STDIO_SERVER] } };
    t = await startTestWeft({}, { config: { reach: { connections, inline: { mcpCommands: false, mcpUrls: false } } } });
    const deployed = await t.api.deploy(['mcp-call.bpmn', 'mcp-camunda-client.bpmn'].map((name) => ({ name, xml: fixture(name) })));
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await http?.close();
  });

  const start = async (processId: string, variables: Record<string, unknown>) => {
    const res = await t.api.post('/api/process-instances', { processId, variables });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;

  it('calls a tool over Streamable HTTP, then lists the server tools', async () => {
    // when
    const id = await start('mcp-call', { server: 'assets', assetTag: 'A-42' });

    // then
    const done = await eventually(async () => ((await instance(id)).state === 'COMPLETED' ? instance(id) : null), 15_000);
    expect(JSON.parse(done.variables.asset)).toEqual({ tag: 'A-42', owner: 'ann', model: 'ThinkPad X1' });
    expect(done.variables.toolNames).toEqual(['lookup_asset']);
    expect(http.calls).toContain('A-42');
  });

  it("runs a task made with Camunda's MCP Client template on a stdio server", async () => {
    // when
    const id = await start('mcp-camunda-client', { query: 'vpn keeps dropping' });

    // then
    const done = await eventually(async () => ((await instance(id)).state === 'COMPLETED' ? instance(id) : null), 15_000);
    expect(done.variables.kbResult).toMatchObject({ operation: 'tools/call', toolName: 'search_known_issues', isError: false });
    expect(JSON.parse(done.variables.kbResult.content[0])).toMatchObject({ matches: [{ id: 'KB-42' }] });
  });

  it('an unknown connection is an incident naming it and the known ones, with no retry', async () => {
    // when
    const id = await start('mcp-call', { server: 'nope', assetTag: 'A-1' });

    // then
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items[0], 15_000);
    expect(incident.message).toContain("No MCP connection named 'nope' is configured (known: assets, kb)");
    const jobs = await t.weft.db('jobs').where({ process_instance_id: id, element_id: 'lookup' }).select('retries');
    expect(jobs).toEqual([{ retries: 0 }]);
  });
});
