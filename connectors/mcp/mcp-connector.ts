/**
 * The `mcp` connector: a service task lists an MCP server's tools or calls
 * one of them (mcp-operation.ts). Job types `mcp` and Camunda 8's MCP Client
 * connector's (`io.camunda.agenticai:mcpclient:0` and `:1`), whose inputs are
 * read too. The server is a named connection (WEFT_CONNECTIONS), so the form
 * asks for its name only.
 */
import { z } from 'zod';
import { defineConnector } from '../sdk/define-connector.js';
import { ConnectorError, SdkErrorCodes } from '../sdk/connector-error.js';
import type { ServerReach } from '../../engine/connections/server-reach.js';
import { MissingCredentialError } from '../../engine/connections/env-references.js';
import { McpConnectionError, mcpInputSchema, normaliseMcpInput, runMcpOperation } from './mcp-operation.js';

// Weft's names and Camunda's (`data.client.clientId`, `data.operation.*`) are gathered, then read as Weft's and checked (mcp-operation.ts).
const inputs = z.object({
  connection: z.unknown().optional(),
  operation: z.unknown().optional(),
  toolName: z.unknown().optional(),
  arguments: z.unknown().optional(),
  data: z.unknown().optional(),
});

function checked(raw: Record<string, unknown>) {
  const parsed = mcpInputSchema.safeParse(normaliseMcpInput(raw));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `input '${issue.path.map(String).join('.')}': ${issue.message}`);
  throw new ConnectorError(SdkErrorCodes.INVALID_INPUT, `Invalid input for MCP tool: ${problems.join('; ')}`, { configuration: true });
}

export function mcpConnector(reach: ServerReach) {
  return defineConnector({
    type: 'mcp',
    aliases: ['io.camunda.agenticai:mcpclient:0', 'io.camunda.agenticai:mcpclient:1'],
    name: 'MCP tool',
    version: 1,
    description: 'Calls a tool on an MCP server the administrator configured as a connection, or lists its tools',
    templateId: 'io.weft.connectors.mcp',
    inputs,
    groups: [
      { id: 'server', label: 'MCP server' },
      { id: 'operation', label: 'Operation' },
    ],
    fields: {
      connection: { label: 'Connection', description: 'The name of an MCP connection in the server configuration (WEFT_CONNECTIONS)', group: 'server' },
      operation: {
        label: 'Operation',
        group: 'operation',
        type: 'Dropdown',
        value: 'tools/call',
        choices: [
          { name: 'Call a tool', value: 'tools/call' },
          { name: 'List tools', value: 'tools/list' },
        ],
      },
      toolName: { label: 'Tool name', group: 'operation', feel: 'optional', when: { field: 'operation', equals: 'tools/call' } },
      arguments: { label: 'Arguments', description: "The tool's arguments, a FEEL context", group: 'operation', feel: 'required', optional: true, when: { field: 'operation', equals: 'tools/call' } },
    },
    async run(input, ctx) {
      const operation = checked(input);
      try {
        return await runMcpOperation(reach, operation, { signal: ctx.signal });
      } catch (error) {
        if (error instanceof McpConnectionError || error instanceof MissingCredentialError) throw new ConnectorError('MCP_CONNECTION', error.message, { configuration: true });
        // The server could not be reached or did not answer: worth another try.
        throw new ConnectorError('MCP_UNAVAILABLE', `MCP connection '${operation.connection}': ${(error as Error).message}`, { retryable: true, cause: error });
      }
    },
  });
}
