/**
 * MCP tools: one client connection per server per run attempt
 * (@modelcontextprotocol/sdk; stdio for `{command, args}`, Streamable HTTP for
 * `{url}`), opened when a tool of that server is first needed and closed when
 * the attempt ends.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AgentTool } from './definition.js';

type Server = NonNullable<AgentTool['mcp']>;

interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export class McpSessions {
  private readonly clients = new Map<string, Promise<{ client: Client; tools: McpToolInfo[] }>>();

  private connect(server: Server) {
    const id = JSON.stringify(server);
    let session = this.clients.get(id);
    if (!session) {
      session = (async () => {
        const client = new Client({ name: 'weft-agent', version: '1.0.0' });
        const transport =
          'url' in server
            ? new StreamableHTTPClientTransport(new URL(server.url))
            : new StdioClientTransport({ command: server.command, args: server.args, env: { ...(process.env as Record<string, string>), ...(server.env ?? {}) }, stderr: 'ignore' });
        await client.connect(transport);
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
    const { tools } = await this.connect(tool.mcp!);
    return tools.find((t) => t.name === (tool.toolName ?? tool.name));
  }

  async call(tool: AgentTool, args: Record<string, unknown>): Promise<{ isError: boolean; content: unknown }> {
    const { client } = await this.connect(tool.mcp!);
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
