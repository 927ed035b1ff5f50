/**
 * POST /mcp: the MCP Streamable HTTP endpoint, stateless. Each request gets a
 * fresh McpServer and transport for its caller and answers with plain JSON
 * (no session id, no SSE stream kept open), so any engine process behind a
 * load balancer answers any request. GET (a server-to-client stream) and
 * DELETE (ending a session) have nothing to do without sessions: 405.
 *
 * In order, as /api: the Origin check, authentication (before any body is
 * read), the request guard on path, query and headers, the JSON body within
 * /api's limit, the guard's body rule (mcp-guard.ts). Helmet's headers are
 * on every response already (createApp).
 */
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { STRICT_ROUTING } from '../../api/api-routes.js';
import { JSON_BODY_LIMIT } from '../../api/app.js';
import { actorOf } from '../../api/auth.js';
import { requestGuard } from '../../api/request-guard.js';
import { WeftError } from '../../errors.js';
import { mcpAuth, MCP_PATH, originCheck, RESOURCE_METADATA_PATH, resourceMetadata } from './mcp-auth.js';
import { mcpBodyGuard } from './mcp-guard.js';
import { mcpServerFor, type McpServerDeps } from './mcp-server.js';
import type { ApiEdge } from '../../api/auth.js';

export interface McpRouteOptions extends McpServerDeps {
  adminToken: string;
  apiEdge?: ApiEdge;
  /** Browser origins allowed to call /mcp (WEFT_MCP_ALLOWED_ORIGINS); none by default. */
  allowedOrigins: readonly string[];
  /** WEFT_PUBLIC_URL: the origin named in the 401 challenge and the resource metadata. */
  publicUrl?: string;
  logger: Logger;
}

export function mcpRoutes(options: McpRouteOptions): express.Router {
  const router = express.Router(STRICT_ROUTING);

  router.get(RESOURCE_METADATA_PATH, (req, res) => {
    res.json(resourceMetadata(req, options.publicUrl));
  });

  const handle: RequestHandler = async (req, res) => {
    const server = mcpServerFor(actorOf(res), options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  const notAllowed: RequestHandler = (req, res) => {
    res.set('Allow', 'POST');
    throw new WeftError('METHOD_NOT_ALLOWED', `${req.method} ${MCP_PATH} is not served: this endpoint is stateless (no sessions, no server-sent stream); POST JSON-RPC messages`);
  };

  router
    .route(MCP_PATH)
    .all(originCheck(options.allowedOrigins), mcpAuth(options.adminToken, options.apiEdge, options.publicUrl), requestGuard)
    .post(express.json({ limit: JSON_BODY_LIMIT }), mcpBodyGuard, handle)
    .all(notAllowed);
  return router;
}
