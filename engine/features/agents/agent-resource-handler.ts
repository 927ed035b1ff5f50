/**
 * Deploys `*.agent.json` agent definitions: validated (422 naming the field),
 * checked against what this server lets a definition reach (its connections,
 * the inline MCP settings), then versioned by name.
 */
import type { ResourceHandler } from '../types.js';
import { parseAgentDefinition } from '../../../connectors/agents/definition.js';
import { reachProblems } from '../../../connectors/agents/definition-reach.js';
import { AgentRepository } from '../../../connectors/agents/agent-repository.js';
import type { ServerReach } from '../../connections/server-reach.js';

export function agentResourceHandler(reach: ServerReach): ResourceHandler {
  return {
    responseKey: 'agents',
    accepts: (fileName) => /\.agent\.json$/i.test(fileName),
    async check(resource) {
      const parsed = parseAgentDefinition(resource.name, resource.content);
      if (!parsed.ok) return parsed.problems;
      return reachProblems(parsed.definition, reach).map((p) => ({ file: resource.name, ...p }));
    },
    async store(trx, resource, deploymentId, actor) {
      const parsed = parseAgentDefinition(resource.name, resource.content);
      if (!parsed.ok) throw new Error(`${resource.name} was checked but does not parse`);
      const repo = new AgentRepository(trx);
      return repo.storeDefinition(trx, parsed.definition, resource.name, resource.content, deploymentId, actor);
    },
  };
}
