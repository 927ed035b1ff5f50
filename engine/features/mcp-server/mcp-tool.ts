/**
 * What an MCP tool of Weft is: a name, a description an outside agent can act
 * on, a strict zod input schema, and the `/api` route it stands for. The
 * route is how the tool is authorised: its Access is read from the route's own
 * declaration (tool-access.ts), so the tool and the route cannot disagree.
 */
import type { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Actor, ApiEdge } from '../../api/auth.js';
import type { Method } from '../../api/api-routes.js';
import type { taskActions } from '../../api/task-routes.js';
import type { EngineApi } from '../../service/types.js';

/** What a tool's `run` works with: the engine and the same task rules as the task routes. */
export interface ToolContext {
  engine: EngineApi;
  tasks: ReturnType<typeof taskActions>;
  apiEdge?: ApiEdge;
}

/** `METHOD /path` of the `/api` route a tool is the equivalent of, as the route declares it (path relative to /api). */
export type RouteId = `${Method} /${string}`;

export interface McpTool<Input extends z.ZodObject = z.ZodObject> {
  /** snake_case, as MCP clients show it. */
  name: string;
  title: string;
  /** What it does and returns; who may call it is appended from the route's Access. */
  description: string;
  route: RouteId;
  /** Strict: an argument the tool does not know is an error naming it, not silently dropped. */
  input: Input;
  annotations?: ToolAnnotations;
  /** Runs the call for an actor the route's Access admits; throws WeftError or ZodError for the caller's mistakes. */
  run(args: z.output<Input>, actor: Actor, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** Keeps each tool's `run` typed by its own input schema. */
export function defineTool<Input extends z.ZodObject>(tool: McpTool<Input>): McpTool<Input> {
  return tool;
}
