/** Deploys `*.agent.json` agent definitions: validated (422 naming the field), then versioned by name. */
import type { ResourceHandler } from '../types.js';
import { parseAgentDefinition } from '../../../connectors/agents/definition.js';
import { AgentRepository } from '../../../connectors/agents/agent-repository.js';

export const agentResourceHandler: ResourceHandler = {
  responseKey: 'agents',
  accepts: (fileName) => /\.agent\.json$/i.test(fileName),
  async check(resource) {
    const parsed = parseAgentDefinition(resource.name, resource.content);
    return parsed.ok ? [] : parsed.problems;
  },
  async store(trx, resource, deploymentId, actor) {
    const parsed = parseAgentDefinition(resource.name, resource.content);
    if (!parsed.ok) throw new Error(`${resource.name} was checked but does not parse`);
    const repo = new AgentRepository(trx);
    return repo.storeDefinition(trx, parsed.definition, resource.name, resource.content, deploymentId, actor);
  },
};
