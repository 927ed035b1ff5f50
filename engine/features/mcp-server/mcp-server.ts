/**
 * One McpServer per request, for the request's authenticated actor
 * (stateless: nothing is kept between requests, so any engine process can
 * answer any of them). Each tool call is checked against its route's Access
 * before anything runs; a refusal is a tool error naming the roles needed.
 * What Postgres cannot store never gets here (mcp-guard.ts).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from 'pino';
import type { Access } from '../../api/access.js';
import type { Actor } from '../../api/auth.js';
import { describeAccess } from '../../api/access.js';
import type { McpTool, RouteId, ToolContext } from './mcp-tool.js';
import { accessOf, refusal } from './tool-access.js';
import { errorResult, toolError, toolResult } from './tool-results.js';

export const SERVER_INFO = { name: 'weft', version: '0.1.0' };

const INSTRUCTIONS =
  'Weft runs BPMN processes. list_processes shows what can be started; start_instance starts one and get_instance reads it; ' +
  'list_my_tasks, claim_task and complete_task work your inbox; publish_message sends a message to waiting instances. ' +
  'Each tool is allowed to the roles its description names; your token decides which you have.';

export interface McpServerDeps {
  tools: McpTool[];
  routes: Map<RouteId, Access>;
  context: ToolContext;
  logger: Logger;
}

export function mcpServerFor(actor: Actor, deps: McpServerDeps): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
  for (const tool of deps.tools) {
    const access = accessOf(tool, deps.routes);
    server.registerTool(
      tool.name,
      { title: tool.title, description: `${tool.description} Needs the ${describeAccess(access)}.`, inputSchema: tool.input, annotations: tool.annotations },
      async (args: Record<string, unknown>) => {
        const refused = refusal(tool, access, actor);
        if (refused) return toolError('FORBIDDEN', refused);
        try {
          return toolResult(await tool.run(args, actor, deps.context));
        } catch (err) {
          return errorResult(err, deps.logger, tool.name);
        }
      },
    );
  }
  return server;
}
