/**
 * The `mcp` connector's operations against real MCP servers from the SDK:
 * the Streamable HTTP fixture and the stdio fixture, each a named connection.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpInputSchema, normaliseMcpInput, runMcpOperation } from '../../connectors/mcp/mcp-operation.js';
import { startMcpHttpServer } from '../fixtures/agents/mcp-http-server.js';
import type { ServerReach } from '../../engine/connections/server-reach.js';

const STDIO_SERVER = fileURLToPath(new URL('../fixtures/agents/mcp-server.mjs', import.meta.url));

describe('mcp connector operations', () => {
  let http: Awaited<ReturnType<typeof startMcpHttpServer>>;
  let reach: ServerReach;
  beforeAll(async () => {
    http = await startMcpHttpServer();
    reach = {
      connections: {
        assets: { kind: 'mcp', url: http.url },
        kb: { kind: 'mcp', command: process.execPath, args: [STDIO_SERVER] },
        openai: { kind: 'openai' },
      },
      inline: { mcpCommands: false, mcpUrls: false },
    };
  });
  afterAll(async () => {
    await http?.close();
  });

  it('calls a tool on a Streamable HTTP server with arguments', async () => {
    // when
    const result = await runMcpOperation(reach, mcpInputSchema.parse({ connection: 'assets', toolName: 'lookup_asset', arguments: { tag: 'A-7' } }));
    // then
    expect(result).toEqual({ operation: 'tools/call', toolName: 'lookup_asset', isError: false, content: [JSON.stringify({ tag: 'A-7', owner: 'ann', model: 'ThinkPad X1' })] });
    expect(http.calls).toContain('A-7');
  });

  it("lists a stdio server's tools", async () => {
    // when
    const result = await runMcpOperation(reach, mcpInputSchema.parse({ connection: 'kb', operation: 'tools/list' }));
    // then
    expect(result.operation).toBe('tools/list');
    expect(result.operation === 'tools/list' && result.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['search_known_issues', 'close_ticket']));
  });

  it("reads Camunda 8's MCP Client input names", async () => {
    // given the inputs as Camunda's template writes them
    const camunda = { data: { client: { clientId: 'kb' }, operation: { method: 'tools/call', params: { name: 'search_known_issues', arguments: { query: 'vpn drops' } } } } };
    // when
    const result = await runMcpOperation(reach, mcpInputSchema.parse(normaliseMcpInput(camunda)));
    // then
    expect(result).toMatchObject({ operation: 'tools/call', isError: false });
    expect(JSON.parse((result as { content: string[] }).content[0])).toMatchObject({ matches: [{ id: 'KB-42' }] });
  });

  it('refuses a name that is not an MCP connection, saying which ones are', async () => {
    await expect(runMcpOperation(reach, mcpInputSchema.parse({ connection: 'openai', toolName: 'x' }))).rejects.toThrow("No MCP connection named 'openai' is configured (known: assets, kb)");
  });

  it('needs a tool name to call a tool', () => {
    const parsed = mcpInputSchema.safeParse({ connection: 'kb' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['toolName'] });
  });
});
