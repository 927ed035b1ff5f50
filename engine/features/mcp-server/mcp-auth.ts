/**
 * Who is calling /mcp: a Bearer token, resolved exactly as `/api` resolves it
 * (bearerAuth: the admin token, else the feature edge's personal tokens) —
 * but never a browser session: an MCP client is a program holding a token,
 * and a cookie a browser adds on its own must not drive tools.
 *
 * A missing or bad token is a 401 whose `WWW-Authenticate` challenge points
 * at this resource's metadata (RFC 9728), as the MCP authorization spec asks
 * of a protected resource; the metadata says tokens go in the header and
 * names no authorization server (Weft's tokens are issued by an admin, or by
 * users for themselves, through /api/tokens).
 *
 * Browsers send `Origin` with every POST; a request with an Origin not listed
 * in WEFT_MCP_ALLOWED_ORIGINS is refused before anything else (the MCP
 * transport spec's defence against DNS rebinding). Programs send none.
 */
import type { Request, RequestHandler } from 'express';
import { bearerAuth, type ApiEdge } from '../../api/auth.js';
import { WeftError } from '../../errors.js';

export const MCP_PATH = '/mcp';
export const RESOURCE_METADATA_PATH = `/.well-known/oauth-protected-resource${MCP_PATH}`;

/** Where this server is reached: WEFT_PUBLIC_URL when set (behind a proxy), else the request's own scheme and host. */
export function publicOrigin(req: Request, publicUrl: string | undefined): string {
  if (publicUrl && URL.canParse(publicUrl)) return new URL(publicUrl).origin;
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function mcpAuth(adminToken: string, edge: ApiEdge | undefined, publicUrl: string | undefined): RequestHandler {
  // The edge's tokens, not its sessions.
  const inner = bearerAuth(adminToken, undefined, edge && { token: edge.token, tasks: edge.tasks });
  return async (req, res, next) => {
    let passed = false;
    try {
      await inner(req, res, () => (passed = true));
    } catch (err) {
      if (err instanceof WeftError && err.code === 'UNAUTHORIZED') {
        const invalid = (res.get('WWW-Authenticate') ?? '').includes('invalid_token');
        const metadata = `${publicOrigin(req, publicUrl)}${RESOURCE_METADATA_PATH}`;
        res.set('WWW-Authenticate', `Bearer realm="weft"${invalid ? ', error="invalid_token"' : ''}, resource_metadata="${metadata}"`);
        throw new WeftError('UNAUTHORIZED', invalid ? 'Invalid bearer token' : 'Missing bearer token: send Authorization: Bearer <token> (a personal API token or the admin token)');
      }
      throw err;
    }
    if (passed) next();
  };
}

/** Refuses a browser page of another origin; requests without Origin (programs) pass. */
export function originCheck(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const origin = req.get('origin');
    if (origin !== undefined && !allowed.includes(origin)) {
      throw new WeftError('FORBIDDEN', `Origin ${origin} may not call ${MCP_PATH}: list it in WEFT_MCP_ALLOWED_ORIGINS to allow it`);
    }
    next();
  };
}

/** RFC 9728 protected resource metadata for /mcp. */
export function resourceMetadata(req: Request, publicUrl: string | undefined): Record<string, unknown> {
  const origin = publicOrigin(req, publicUrl);
  return { resource: `${origin}${MCP_PATH}`, bearer_methods_supported: ['header'], resource_name: 'Weft' };
}
