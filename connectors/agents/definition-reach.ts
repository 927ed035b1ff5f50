/**
 * What a definition may reach, checked against the server's configuration
 * (engine/connections): at deploy (problems → 422) and again when a run
 * starts (→ incident), since connections and settings can change after a
 * definition was deployed. Pure: no I/O, no environment.
 *
 * Why a definition names a connection and not an endpoint: whoever may
 * deploy (a modeler) is not whoever holds the server's secrets. A `baseUrl`
 * in a definition sent the server's provider key to any host the deployer
 * chose; a `command` ran any program as the server's user with its whole
 * environment; a `url` made the server call any address from inside its
 * network (cloud metadata, internal services) and hand the answer to the
 * model, whose output flows into the process. So endpoints and credentials
 * are server configuration, and the inline MCP forms need an administrator's
 * explicit setting.
 */
import type { Connection, McpConnection, ModelConnection } from '../../engine/connections/connection-schema.js';
import { INLINE_SETTINGS, type ServerReach } from '../../engine/connections/server-reach.js';
import type { AgentDefinition, AgentTool } from './definition.js';

export interface ReachProblem {
  field: string;
  message: string;
}

const namesOf = (reach: ServerReach, kind: 'model' | 'mcp') =>
  Object.entries(reach.connections)
    .filter(([, c]) => (kind === 'mcp' ? c.kind === 'mcp' : c.kind !== 'mcp' && c.kind !== 'a2a'))
    .map(([name]) => name)
    .join(', ') || '(none)';

/** Every reason the definition cannot run on this server; empty when it can. */
export function reachProblems(definition: AgentDefinition, reach: ServerReach): ReachProblem[] {
  const problems: ReachProblem[] = [];
  const model = definition.model;
  if (model.baseUrl !== undefined) {
    problems.push({
      field: 'model.baseUrl',
      message: `model.baseUrl: a definition cannot set the model's endpoint (the server's credentials would go wherever it points); name a connection an administrator configured in model.connection (known: ${namesOf(reach, 'model')})`,
    });
  } else {
    const found = modelConnection(model, reach);
    if ('problem' in found) problems.push(found.problem);
  }
  definition.tools.forEach((tool, i) => {
    const problem = mcpProblem(tool, i, reach);
    if (problem) problems.push(problem);
  });
  return problems;
}

/** The connection a definition's model is reached through. */
export function modelConnection(model: AgentDefinition['model'], reach: ServerReach): { name: string; connection: ModelConnection } | { problem: ReachProblem } {
  const field = model.connection ? 'model.connection' : 'model.provider';
  const name = model.connection ?? model.provider ?? '';
  const connection: Connection | undefined = Object.hasOwn(reach.connections, name) ? reach.connections[name] : undefined;
  if (!connection) return { problem: { field, message: `${field}: no connection named '${name}' on this server (known model connections: ${namesOf(reach, 'model')})` } };
  if (connection.kind === 'mcp') return { problem: { field, message: `${field}: connection '${name}' is an MCP server, not a model provider (known model connections: ${namesOf(reach, 'model')})` } };
  if (connection.kind === 'a2a') return { problem: { field, message: `${field}: connection '${name}' is an A2A agent, not a model provider (known model connections: ${namesOf(reach, 'model')})` } };
  if (model.provider && model.connection && connection.kind !== model.provider) {
    return { problem: { field: 'model.provider', message: `model.provider: connection '${name}' is of kind ${connection.kind}, not ${model.provider}` } };
  }
  return { name, connection };
}

/** The model connection of a definition whose run already passed reachProblems: anything else is a bug. */
export function checkedModelConnection(model: AgentDefinition['model'], reach: ServerReach): { name: string; connection: ModelConnection } {
  const found = modelConnection(model, reach);
  if ('problem' in found) throw new Error(`a run started without its model connection: ${found.problem.message}`);
  return found;
}

function mcpProblem(tool: AgentTool, i: number, reach: ServerReach): ReachProblem | null {
  const server = tool.kind === 'mcp' ? tool.mcp : undefined;
  if (!server) return null;
  const base = `tools.${i}.mcp`;
  if ('connection' in server) {
    const connection = Object.hasOwn(reach.connections, server.connection) ? reach.connections[server.connection] : undefined;
    if (connection?.kind === 'mcp') return null;
    const what = connection ? `connection '${server.connection}' is a model provider, not an MCP server` : `no MCP connection named '${server.connection}' on this server`;
    return { field: `${base}.connection`, message: `${base}.connection: ${what} (known MCP connections: ${namesOf(reach, 'mcp')})` };
  }
  const [key, allowed, setting, does] =
    'command' in server
      ? (['command', reach.inline.mcpCommands, INLINE_SETTINGS.mcpCommands, 'start commands named in a definition'] as const)
      : (['url', reach.inline.mcpUrls, INLINE_SETTINGS.mcpUrls, 'call MCP server URLs named in a definition'] as const);
  if (allowed) return null;
  return {
    field: `${base}.${key}`,
    message: `${base}.${key}: this server does not ${does}; name an MCP connection an administrator configured in ${base}.connection (known: ${namesOf(reach, 'mcp')}), or an administrator turns on ${setting}=true`,
  };
}

/** How to reach a tool's MCP server: its connection, or the inline form the checks let through. */
export function mcpServer(tool: AgentTool, reach: ServerReach): { id: string; name: string; server: Omit<McpConnection, 'kind'>; inline: boolean } {
  const server = tool.mcp!;
  if ('connection' in server) {
    const connection = reach.connections[server.connection];
    if (connection?.kind !== 'mcp') throw new Error(`tool ${tool.name}: MCP connection '${server.connection}' was checked but is missing`);
    return { id: `connection:${server.connection}`, name: server.connection, server: connection, inline: false };
  }
  // The run's start checked this; checked again here so that nothing can start a process past the setting.
  if (!('command' in server ? reach.inline.mcpCommands : reach.inline.mcpUrls)) throw new Error(`tool ${tool.name}: inline MCP server refused by the server's settings`);
  return { id: `inline:${JSON.stringify(server)}`, name: `${tool.name} (inline)`, server, inline: true };
}
