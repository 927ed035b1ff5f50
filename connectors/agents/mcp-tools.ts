/**
 * MCP tools: one client connection per server per run attempt
 * (@modelcontextprotocol/sdk; stdio for a `command`, Streamable HTTP for a
 * `url`), opened when a tool of that server is first needed and closed when
 * the attempt ends. The server is the tool's connection (or, where an
 * administrator allowed it, the definition's inline form: definition-reach.ts);
 * its credentials (`{{env.NAME}}`) are read from the environment only here,
 * as it is reached.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { resolveRecord } from '../../engine/connections/env-references.js';
import type { ServerReach } from '../../engine/connections/server-reach.js';
import type { AgentTool } from './definition.js';
import { mcpServer } from './definition-reach.js';
import { mcpProcessEnv } from './mcp-environment.js';

interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export class McpSessions {
  private readonly clients = new Map<string, Promise<{ client: Client; tools: McpToolInfo[] }>>();

  constructor(private readonly reach: ServerReach) {}

  private connect(tool: AgentTool) {
    const { id, name, server, inline } = mcpServer(tool, this.reach);
    let session = this.clients.get(id);
    if (!session) {
      session = (async () => {
        const client = new Client({ name: 'weft-agent', version: '1.0.0' });
        await client.connect(transportFor(name, server, inline));
        const { tools } = await client.listTools();
        return { client, tools: tools as McpToolInfo[] };
      })();
      this.clients.set(id, session);
      session.catch(() => this.clients.delete(id));
    }
    return session;
  }

  /** The server's description of the tool (for binding it to the model). */
  async describe(tool: AgentTool): Promise<McpToolInfo | undefined> {
    const { tools } = await this.connect(tool);
    return tools.find((t) => t.name === (tool.toolName ?? tool.name));
  }

  async call(tool: AgentTool, args: Record<string, unknown>): Promise<{ isError: boolean; content: unknown }> {
    const { client } = await this.connect(tool);
    const result = await client.callTool({ name: tool.toolName ?? tool.name, arguments: args });
    const content = result.structuredContent ?? (result.content as { type: string; text?: string }[] | undefined)?.map((c) => (c.type === 'text' ? c.text : c)) ?? result;
    return { isError: result.isError === true, content };
  }

  async close(): Promise<void> {
    const sessions = [...this.clients.values()];
    this.clients.clear();
    for (const session of sessions) {
      await session.then((s) => s.client.close()).catch(() => undefined);
    }
  }
}

/**
 * The transport to one server. A stdio server gets the minimal environment
 * and the variables named for it (mcp-environment.ts). References are
 * resolved for a connection (an administrator wrote them); an inline
 * definition's `env` is taken literally, so that a definition cannot pull a
 * server variable (`{{env.WEFT_ADMIN_TOKEN}}`) into a process it chose.
 */
function transportFor(name: string, server: ReturnType<typeof mcpServer>['server'], inline: boolean): Transport {
  if (server.url) {
    const headers = resolveRecord(server.credentials?.headers, { connection: name, field: 'credentials.headers' });
    return new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } });
  }
  const named = inline ? (server.env ?? {}) : resolveRecord(server.env, { connection: name, field: 'env' });
  return new StdioClientTransport({ command: server.command!, args: server.args ?? [], env: mcpProcessEnv(named), cwd: server.cwd, stderr: 'ignore' });
}
