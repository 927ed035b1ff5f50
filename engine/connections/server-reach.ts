/**
 * What a definition deployed on this server may reach: the named connections
 * an administrator configured, and whether a definition may name an MCP
 * server inline instead (both off unless an administrator turns them on).
 */
import type { Connections } from './connection-schema.js';
import { defaultConnections } from './load-connections.js';

export interface ServerReach {
  connections: Connections;
  inline: {
    /** A definition's `mcp: {command}` starts a process on the server: code of the deployer's choosing, as the server's user. */
    mcpCommands: boolean;
    /** A definition's `mcp: {url}` makes the server call a URL of the deployer's choosing, from inside its network. */
    mcpUrls: boolean;
  };
}

/** The settings that turn the inline forms on, for messages that tell what to change. */
export const INLINE_SETTINGS = {
  mcpCommands: 'WEFT_ALLOW_INLINE_MCP_COMMANDS',
  mcpUrls: 'WEFT_ALLOW_INLINE_MCP_URLS',
} as const;

/** The configured reach, or the defaults: the built-in provider connections and nothing inline. */
export function reachOf(config: { reach?: ServerReach }, env: NodeJS.ProcessEnv = process.env): ServerReach {
  return config.reach ?? { connections: defaultConnections(env), inline: { mcpCommands: false, mcpUrls: false } };
}
