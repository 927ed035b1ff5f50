/**
 * The transport to one MCP server (@modelcontextprotocol/sdk): Streamable
 * HTTP for a `url`, stdio for a `command`. Shared by the agents' MCP tools
 * and the `mcp` connector.
 *
 * A stdio server gets the minimal environment and the variables named for it
 * (mcp-environment.ts). References are resolved for a connection (an
 * administrator wrote them); an inline definition's `env` is taken literally,
 * so that a definition cannot pull a server variable (`{{env.WEFT_ADMIN_TOKEN}}`)
 * into a process it chose. Credentials (`{{env.NAME}}`) are read from the
 * environment only here, as the server is reached.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { resolveRecord } from '../../engine/connections/env-references.js';
import type { McpConnection } from '../../engine/connections/connection-schema.js';
import { mcpProcessEnv } from '../agents/mcp-environment.js';

export type McpServer = Omit<McpConnection, 'kind'>;

export function transportFor(name: string, server: McpServer, inline: boolean): Transport {
  if (server.url) {
    const headers = resolveRecord(server.credentials?.headers, { connection: name, field: 'credentials.headers' });
    return new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } });
  }
  const named = inline ? (server.env ?? {}) : resolveRecord(server.env, { connection: name, field: 'env' });
  return new StdioClientTransport({ command: server.command!, args: server.args ?? [], env: mcpProcessEnv(named), cwd: server.cwd, stderr: 'ignore' });
}

/** A connected client; the caller closes it. */
export async function connectMcp(name: string, server: McpServer, inline: boolean, clientName: string): Promise<Client> {
  const client = new Client({ name: clientName, version: '1.0.0' });
  await client.connect(transportFor(name, server, inline));
  return client;
}

/** A tool result as Weft hands it on: structured content when the server gives it, else the text parts (other parts as they are). */
export function toolResultContent(result: Awaited<ReturnType<Client['callTool']>>): unknown {
  return result.structuredContent ?? (result.content as { type: string; text?: string }[] | undefined)?.map((c) => (c.type === 'text' ? c.text : c)) ?? result;
}
