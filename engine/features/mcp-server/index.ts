/**
 * Weft as an MCP server: an MCP endpoint at /mcp (Streamable HTTP, stateless,
 * Bearer token) whose tools drive Weft within the caller's rights — each tool
 * is its `/api` route's equivalent, allowed to the same roles and scopes and
 * running the same service calls (see README "Weft as an MCP server").
 */
import { taskActions } from '../../api/task-routes.js';
import type { Feature, RouteContext } from '../types.js';
import { mcpRoutes } from './mcp-routes.js';
import { coreRouteAccess } from './tool-access.js';
import { TOOLS } from './tools/index.js';

/** WEFT_MCP_ALLOWED_ORIGINS: comma-separated browser origins (`https://agents.example.com`) allowed to call /mcp. */
export function allowedOrigins(value: string | undefined): string[] {
  return (value ?? '').split(',').map((o) => o.trim()).filter(Boolean);
}

export const mcpServerFeature: Feature = {
  name: 'mcp-server',
  routes(ctx: RouteContext) {
    return [
      mcpRoutes({
        tools: TOOLS,
        routes: coreRouteAccess(ctx.engine),
        context: { engine: ctx.engine, tasks: taskActions(ctx.engine, ctx.taskChecks), apiEdge: ctx.apiEdge },
        adminToken: ctx.adminToken,
        apiEdge: ctx.apiEdge,
        allowedOrigins: allowedOrigins(process.env.WEFT_MCP_ALLOWED_ORIGINS),
        publicUrl: process.env.WEFT_PUBLIC_URL,
        logger: ctx.logger,
      }),
    ];
  },
};
