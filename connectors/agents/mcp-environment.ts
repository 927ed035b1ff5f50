/**
 * The environment of a stdio MCP server the agent worker starts: a minimal
 * set from the server's own environment, plus the variables the connection
 * (or the inline definition) names. Never the whole environment: it holds
 * WEFT_ADMIN_TOKEN, DATABASE_URL with its password, provider keys and
 * whatever else the server was started with.
 */
import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * Passed through, and why:
 *   PATH            to find the program and what it runs (node, npx, python)
 *   HOME            where tools keep caches and configuration (npx, pip)
 *   TMPDIR TMP TEMP where to write scratch files
 *   LANG LC_ALL TZ  text encoding and time zone, so output reads the same as the server's
 * and what @modelcontextprotocol/sdk adds to every stdio server whatever it is
 * given (DEFAULT_INHERITED_ENV_VARS; on POSIX HOME LOGNAME PATH SHELL TERM USER,
 * sudo's list): the user's name, shell and terminal. None of these is a secret.
 * Proxies (HTTP_PROXY may carry a password) and TLS settings are not passed:
 * a connection names them in `env` when its server needs them.
 */
export const MINIMAL_ENV: readonly string[] = [...new Set(['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'TZ', ...DEFAULT_INHERITED_ENV_VARS])];

export function mcpProcessEnv(named: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const minimal: Record<string, string> = {};
  for (const key of MINIMAL_ENV) {
    const value = env[key];
    if (value !== undefined) minimal[key] = value;
  }
  return { ...minimal, ...named };
}
