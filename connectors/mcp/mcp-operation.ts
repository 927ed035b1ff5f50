/**
 * What the `mcp` connector does: list a server's tools, or call one, on an
 * MCP server that is a **named connection** an administrator configured
 * (engine/connections). A diagram names the connection; it never carries a
 * command line, a URL or a credential.
 *
 * Inputs come in Weft's names (`connection`, `operation`, `toolName`,
 * `arguments`) or in those of Camunda 8's MCP Client connector (`data.client.clientId`,
 * `data.operation.method`, `data.operation.params.name` / `.arguments`), so a
 * diagram made with Camunda's template runs unchanged when its client id is a
 * connection here.
 */
import { z } from 'zod';
import type { ServerReach } from '../../engine/connections/server-reach.js';
import { connectMcp, toolResultContent } from './mcp-transport.js';

export const MCP_OPERATIONS = ['tools/list', 'tools/call'] as const;

export const mcpInputSchema = z
  .object({
    connection: z.string().min(1, 'name an MCP connection the administrator configured'),
    operation: z.enum(MCP_OPERATIONS).default('tools/call'),
    toolName: z.string().min(1).optional(),
    arguments: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((input, ctx) => {
    if (input.operation === 'tools/call' && !input.toolName) ctx.addIssue({ code: 'custom', path: ['toolName'], message: 'tools/call needs the name of the tool to call' });
  });

export type McpInput = z.infer<typeof mcpInputSchema>;

/** Camunda 8's MCP Client input names, read as Weft's (Weft's own win where both are given). */
export function normaliseMcpInput(raw: Record<string, unknown>): Record<string, unknown> {
  const data = (raw.data ?? {}) as { client?: { clientId?: unknown }; operation?: { method?: unknown; params?: { name?: unknown; arguments?: unknown } } };
  return {
    connection: raw.connection ?? data.client?.clientId,
    operation: raw.operation ?? data.operation?.method,
    toolName: raw.toolName ?? data.operation?.params?.name,
    arguments: raw.arguments ?? data.operation?.params?.arguments,
  };
}

export class McpConnectionError extends Error {
  readonly code = 'MCP_CONNECTION_UNKNOWN';
}

export type McpResult =
  | { operation: 'tools/list'; tools: { name: string; description?: string; inputSchema: unknown }[] }
  | { operation: 'tools/call'; toolName: string; isError: boolean; content: unknown };

export async function runMcpOperation(reach: ServerReach, input: McpInput, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<McpResult> {
  const connection = reach.connections[input.connection];
  if (connection?.kind !== 'mcp') {
    const known = Object.entries(reach.connections)
      .filter(([, c]) => c.kind === 'mcp')
      .map(([name]) => name);
    throw new McpConnectionError(`No MCP connection named '${input.connection}' is configured${known.length ? ` (known: ${known.join(', ')})` : ' (none is: see WEFT_CONNECTIONS)'}`);
  }
  const client = await connectMcp(input.connection, connection, false, 'weft-connector');
  const request = { timeout: options.timeoutMs ?? 60_000, signal: options.signal };
  try {
    if (input.operation === 'tools/list') {
      const { tools } = await client.listTools(undefined, request);
      return { operation: 'tools/list', tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })) };
    }
    const result = await client.callTool({ name: input.toolName!, arguments: input.arguments }, undefined, request);
    return { operation: 'tools/call', toolName: input.toolName!, isError: result.isError === true, content: toolResultContent(result) };
  } finally {
    await client.close().catch(() => undefined);
  }
}
