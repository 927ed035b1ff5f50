/**
 * The request guard's body rule (engine/api/request-guard.ts) for JSON-RPC
 * bodies, checked before the SDK parses them (its schemas copy objects, and a
 * `__proto__` key would become a prototype there). Path, query and headers
 * pass the request guard itself, mounted before this.
 *
 * A problem inside a tool call's arguments is the caller's mistake with one
 * tool: it is answered as that call's tool error naming the field, as any
 * other bad argument is. A problem anywhere else in the envelope is the
 * request guard's 400.
 */
import type { RequestHandler } from 'express';
import { WeftError } from '../../errors.js';
import { findUnstorable } from '../../persistence/storable.js';
import { toolError } from './tool-results.js';

interface JsonRpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: { arguments?: unknown };
}

export const mcpBodyGuard: RequestHandler = (req, res, next) => {
  const body = req.body as unknown;
  if (body === undefined) throw new WeftError('UNSUPPORTED_MEDIA_TYPE', 'Send a JSON-RPC message as Content-Type: application/json');
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const message = body as JsonRpcRequest;
    const args = message.method === 'tools/call' && message.params && typeof message.params === 'object' ? message.params.arguments : undefined;
    const inArgs = args === undefined ? null : findUnstorable(args);
    if (inArgs && (typeof message.id === 'string' || typeof message.id === 'number')) {
      const { arguments: _dropped, ...params } = message.params ?? {};
      const rest = findUnstorable({ ...message, params });
      if (!rest) {
        res.json({ jsonrpc: '2.0', id: message.id, result: toolError('BAD_REQUEST', `Invalid arguments: ${inArgs.path} ${inArgs.message}`, [{ in: 'body', ...inArgs }]) });
        return;
      }
    }
  }
  const found = findUnstorable(body);
  if (found) throw new WeftError('BAD_REQUEST', `Invalid request: body field '${found.path}' ${found.message}`, [{ in: 'body', ...found }]);
  next();
};
