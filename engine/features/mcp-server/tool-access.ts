/**
 * Who may call a tool: exactly who may call its `/api` route. The Access is
 * taken from the core routes' own declarations, not restated here, so
 * changing a route's roles changes its tool's with it. A tool naming a route
 * that does not exist is a bug, found when the endpoint is built.
 */
import { describeAccess, mayCall, type Access } from '../../api/access.js';
import type { ApiRoute } from '../../api/api-routes.js';
import type { Actor } from '../../api/auth.js';
import { messageRoutes } from '../../api/message-routes.js';
import { processDefinitionRoutes } from '../../api/process-definition-routes.js';
import { processInstanceRoutes } from '../../api/process-instance-routes.js';
import { taskRoutes } from '../../api/task-routes.js';
import type { EngineApi } from '../../service/types.js';
import type { McpTool, RouteId } from './mcp-tool.js';

/** The declarations of the core routes the tools stand for (building them runs nothing). */
export function coreRouteAccess(engine: EngineApi): Map<RouteId, Access> {
  const declared: ApiRoute[] = [...processDefinitionRoutes(engine), ...processInstanceRoutes(engine), ...taskRoutes(engine), ...messageRoutes(engine)];
  return new Map(declared.map((r) => [`${r.method} ${r.path}` as RouteId, r.access]));
}

export function accessOf(tool: Pick<McpTool, 'name' | 'route'>, routes: Map<RouteId, Access>): Access {
  const access = routes.get(tool.route);
  if (!access) throw new Error(`MCP tool ${tool.name} names no declared /api route: ${tool.route}`);
  return access;
}

/** The refusal a caller gets: which tool, which roles, and the route it mirrors. */
export function refusal(tool: Pick<McpTool, 'name' | 'route'>, access: Access, actor: Actor): string | null {
  if (mayCall(actor, access)) return null;
  const [method, path] = tool.route.split(' ');
  return `${tool.name} needs the ${describeAccess(access)} (as ${method} /api${path} does)`;
}
