/**
 * MCP tools: one client connection per server per run attempt
 * (@modelcontextprotocol/sdk; stdio for a `command`, Streamable HTTP for a
 * `url`), opened when a tool of that server is first needed and closed when
 * the attempt ends. The server is the tool's connection (or, where an
 * administrator allowed it, the definition's inline form: definition-reach.ts),
 * reached through connectors/mcp/mcp-transport.ts.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ServerReach } from '../../engine/connections/server-reach.js';
import type { AgentTool } from './definition.js';
import { mcpServer } from './definition-reach.js';
import { connectMcp, toolResultContent } from '../mcp/mcp-transport.js';

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
        const client = await connectMcp(name, server, inline, 'weft-agent');
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
    return { isError: result.isError === true, content: toolResultContent(result) };
  }

  async close(): Promise<void> {
    const sessions = [...this.clients.values()];
    this.clients.clear();
    for (const session of sessions) {
      await session.then((s) => s.client.close()).catch(() => undefined);
    }
  }
}
