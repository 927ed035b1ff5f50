import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { startMcpHttpServer } from '../fixtures/agents/mcp-http-server.js';
import { agentDefinition, agentProcess, deployAgent, instanceIn, runsOf, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';

const SERVER = fileURLToPath(new URL('../fixtures/agents/mcp-server.mjs', import.meta.url));

describe('agent tasks with MCP tools', () => {
  let a: AgentTest;
  let http: Awaited<ReturnType<typeof startMcpHttpServer>>;
  beforeAll(async () => {
    http = await startMcpHttpServer();
    // The MCP servers are connections an administrator configured; definitions name them.
    a = await startAgentTest({
      connections: {
        kb: { kind: 'mcp', command: process.execPath, args: [SERVER] },
        assets: { kind: 'mcp', url: http.url },
      },
    });
  });
  afterAll(async () => {
    await a?.stop();
    await http?.close();
  });

  it('offers the MCP server tool to the model with its schema, calls it over stdio and journals the result', async () => {
    // given
    const definition = agentDefinition({
      name: 'kb-agent',
      tools: [{ name: 'searchKnownIssues', kind: 'mcp', mcp: { connection: 'kb' }, toolName: 'search_known_issues', policy: 'allow' }],
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'mcp-tool', agent: 'kb-agent' }), 'mcp-tool');
    const model = fakeModel()
      .respondWithTools([{ name: 'searchKnownIssues', args: { query: 'vpn drops' }, id: 'm1' }])
      .respond(new AIMessage('{"answer": "KB-42: Reinstall the VPN profile"}'));
    let bound: unknown = null;
    const bind = model.bindTools.bind(model);
    model.bindTools = (tools) => {
      bound = tools;
      return bind(tools);
    };
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'mcp-tool', { request: 'VPN drops every hour' });

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(done.variables.agentResult.output.answer).toMatch(/KB-42/);
    expect(bound).toEqual([
      { type: 'function', function: { name: 'searchKnownIssues', description: 'Search known resolutions by keywords', parameters: expect.objectContaining({ properties: { query: { type: 'string' } } }) } },
    ]);
    const toolMessage = model.calls[1].messages.at(-1) as any;
    expect(String(toolMessage.content)).toContain('Reinstall the VPN profile');
    const [run] = await runsOf(a.t, id);
    const transcript = (await a.t.api.get(`/api/agent-runs/${run.id}`)).body;
    expect(transcript.toolCalls[0]).toMatchObject({ name: 'searchKnownIssues', args: { query: 'vpn drops' }, status: 'ok' });
  });

  it('reaches an MCP server over Streamable HTTP', async () => {
    // given
    const definition = agentDefinition({ name: 'asset-agent', tools: [{ name: 'lookupAsset', kind: 'mcp', mcp: { connection: 'assets' }, toolName: 'lookup_asset', policy: 'allow' }] });
    await deployAgent(a.t, definition, agentProcess({ id: 'mcp-http', agent: 'asset-agent' }), 'mcp-http');
    const model = fakeModel()
      .respondWithTools([{ name: 'lookupAsset', args: { tag: 'IT-0042' }, id: 'h1' }])
      .respond(new AIMessage('{"answer": "IT-0042 belongs to ann"}'));
    a.worker(model);

    // when
    const id = await startInstance(a.t, 'mcp-http', { request: 'whose laptop is IT-0042?' });

    // then
    await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(http.calls).toEqual(['IT-0042']);
    expect(String(model.calls[1].messages.at(-1)!.content)).toContain('ThinkPad X1');
  });
});
