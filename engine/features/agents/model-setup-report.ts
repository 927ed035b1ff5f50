/**
 * Which agents cannot call their model on this server (connectors/agents/
 * model-setup.ts), said before a run finds out: once at start for the
 * deployed definitions, and as warnings on a deployment for its agent tasks
 * and definitions. Both read variable names only, never values.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ServerReach } from '../../connections/server-reach.js';
import type { DeployWarning, DeployWarningCheck } from '../../service/types.js';
import type { FlowElement } from '../../model/types.js';
import { AGENT_QUEUE, queueForJobType } from '../../queue/routing.js';
import { parseAgentDefinition, type AgentDefinition } from '../../../connectors/agents/definition.js';
import { modelSetupGap, type ModelSetupGap } from '../../../connectors/agents/model-setup.js';

/** The latest version of every deployed agent definition whose model is not configured, by name. */
export async function unconfiguredAgents(db: Knex, reach: ServerReach, env: NodeJS.ProcessEnv = process.env): Promise<ModelSetupGap[]> {
  const rows: { definition: AgentDefinition }[] = await db('agent_definitions').distinctOn('name').orderBy([{ column: 'name' }, { column: 'version', order: 'desc' }]).select('definition');
  return rows.map((r) => modelSetupGap(r.definition, reach, env)).filter((gap): gap is ModelSetupGap => gap !== null);
}

/** One warning at start naming each agent that cannot run, what it asks for and what to set; nothing when all can. */
export async function logUnconfiguredAgents(db: Knex, reach: ServerReach, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const gaps = await unconfiguredAgents(db, reach, env);
  if (gaps.length === 0) return;
  const lines = gaps.map((g) => `${g.agent} asks for ${g.provider ? `${g.provider} ` : ''}model ${g.model} through connection '${g.connection}': set ${g.settings.join(' and ')}`);
  logger.warn(
    { agents: gaps.map(({ agent, connection, provider, model, settings }) => ({ agent, connection, provider, model, settings })) },
    `${gaps.length} deployed agent definition(s) have no model provider configured; their tasks stop with an incident until it is: ${lines.join('; ')} (then restart Weft)`,
  );
}

/** The agent an element's job is for, when it is an agent task (or an agent's ad-hoc sub-process) with a literal type. */
function agentOf(element: FlowElement): string | null {
  if (element.kind !== 'serviceTask' && element.kind !== 'adHocSubProcess') return null;
  if (!('value' in element.jobType)) return null;
  const type = element.jobType.value;
  if (queueForJobType(type) !== AGENT_QUEUE) return null;
  return element.headers.agent || (type.startsWith('agent:') ? type.slice('agent:'.length) : null);
}

/**
 * A deployment's warnings: each agent task whose agent (its latest version,
 * just deployed or deployed before) cannot call its model, by file and
 * element id; and each definition deployed here that no task of the
 * deployment names, by file and field.
 */
export function unconfiguredAgentWarnings(db: Knex, reach: ServerReach, env: NodeJS.ProcessEnv = process.env): DeployWarningCheck {
  return async ({ processes, resources }) => {
    const warnings: DeployWarning[] = [];
    const named = new Set<string>();
    const latest = new Map<string, Promise<ModelSetupGap | null>>();
    const gapOf = (name: string) => {
      if (!latest.has(name)) {
        latest.set(
          name,
          db('agent_definitions').where({ name }).orderBy('version', 'desc').first('definition').then((row) => (row ? modelSetupGap(row.definition, reach, env) : null)),
        );
      }
      return latest.get(name)!;
    };
    for (const { file, model } of processes) {
      for (const element of Object.values(model.elements)) {
        const agent = agentOf(element);
        if (!agent) continue;
        named.add(agent);
        const gap = await gapOf(agent);
        if (gap) warnings.push({ file, elementId: element.id, setting: gap.settings.join(', '), message: gap.message });
      }
    }
    for (const resource of resources) {
      if (!/\.agent\.json$/i.test(resource.name)) continue;
      const parsed = parseAgentDefinition(resource.name, resource.content);
      if (!parsed.ok || named.has(parsed.definition.name)) continue;
      const gap = modelSetupGap(parsed.definition, reach, env);
      if (gap) warnings.push({ file: resource.name, field: gap.field, setting: gap.settings.join(', '), message: gap.message });
    }
    return warnings;
  };
}
