import { describe, expect, it } from 'vitest';
import { parseAgentDefinition, type AgentDefinition } from '../../../connectors/agents/definition.js';
import { modelConnection, reachProblems } from '../../../connectors/agents/definition-reach.js';
import { defaultConnections } from '../../../engine/connections/load-connections.js';
import type { ServerReach } from '../../../engine/connections/server-reach.js';
import { agentDefinition } from '../../fixtures/agents/agent-harness.js';

const reach: ServerReach = {
  connections: { ...defaultConnections({}), kb: { kind: 'mcp', url: 'http://kb.internal/mcp' }, azure: { kind: 'openai', baseUrl: 'https://azure.example/v1' } },
  inline: { mcpCommands: false, mcpUrls: false },
};

const definition = (overrides: Record<string, unknown>): AgentDefinition => {
  const parsed = parseAgentDefinition('a.agent.json', JSON.stringify(agentDefinition(overrides)));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.definition;
};

describe('what a definition may reach', () => {
  it('reads provider alone as the connection of that name', () => {
    expect(modelConnection(definition({ model: { provider: 'anthropic', model: 'claude-haiku-4' } }).model, reach)).toEqual({ name: 'anthropic', connection: reach.connections.anthropic });
  });

  it('names the field for a connection of the wrong kind or a provider that contradicts it', () => {
    expect(reachProblems(definition({ model: { connection: 'kb', model: 'x' } }), reach)).toEqual([
      { field: 'model.connection', message: "model.connection: connection 'kb' is an MCP server, not a model provider (known model connections: openai, anthropic, ollama, azure)" },
    ]);
    expect(reachProblems(definition({ model: { connection: 'azure', provider: 'anthropic', model: 'x' } }), reach)).toEqual([
      { field: 'model.provider', message: 'model.provider: connection \'azure\' is of kind openai, not anthropic' },
    ]);
    expect(reachProblems(definition({ tools: [{ name: 't', kind: 'mcp', mcp: { connection: 'azure' }, policy: 'allow' }] }), reach)).toEqual([
      { field: 'tools.0.mcp.connection', message: "tools.0.mcp.connection: connection 'azure' is a model provider, not an MCP server (known MCP connections: kb)" },
    ]);
  });

  it('lets the inline forms through only when an administrator allowed them', () => {
    const inline = definition({ tools: [{ name: 'a', kind: 'mcp', mcp: { command: 'node' }, policy: 'allow' }, { name: 'b', kind: 'mcp', mcp: { url: 'http://x/mcp' }, policy: 'allow' }] });
    expect(reachProblems(inline, reach).map((p) => p.field)).toEqual(['tools.0.mcp.command', 'tools.1.mcp.url']);
    expect(reachProblems(inline, { ...reach, inline: { mcpCommands: true, mcpUrls: false } }).map((p) => p.field)).toEqual(['tools.1.mcp.url']);
    expect(reachProblems(inline, { ...reach, inline: { mcpCommands: true, mcpUrls: true } })).toEqual([]);
  });
});
