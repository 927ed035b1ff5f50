/**
 * Processes and their instances: list_processes (GET /api/process-definitions),
 * start_instance (POST /api/process-instances), get_instance
 * (GET /api/process-instances/:id). Arguments pass the route's own body
 * schema after the tool's, so the same input is accepted or refused the same way.
 */
import { z } from 'zod';
import { parseBody, pathId, startInstanceBody } from '../../../api/schemas.js';
import type { ProcessDefinitionSummary } from '../../../service/types.js';
import { defineTool } from '../mcp-tool.js';

const variables = z.record(z.string(), z.unknown()).describe('Process variables: a JSON object, e.g. {"amount": 120}');

export const listProcesses = defineTool({
  name: 'list_processes',
  title: 'List deployed processes',
  description:
    'Lists the deployed BPMN process definitions: by default the latest version of each, with its processId (what start_instance takes), name, version, key (the definition id) and deployment.',
  route: 'GET /process-definitions',
  input: z.strictObject({
    processId: z.string().trim().min(1).max(255).optional().describe('Only this process (its BPMN id)'),
    allVersions: z.boolean().optional().describe('List every deployed version, not only the latest (default false)'),
  }),
  annotations: { readOnlyHint: true },
  async run({ processId, allVersions }, _actor, { engine }) {
    const all = (await engine.listDefinitions()).filter((d) => processId === undefined || d.processId === processId);
    return { items: allVersions ? all : latestVersions(all) };
  },
});

function latestVersions(definitions: ProcessDefinitionSummary[]): ProcessDefinitionSummary[] {
  const latest = new Map<string, ProcessDefinitionSummary>();
  for (const d of definitions) if ((latest.get(d.processId)?.version ?? 0) < d.version) latest.set(d.processId, d);
  return [...latest.values()].sort((a, b) => a.processId.localeCompare(b.processId));
}

export const startInstance = defineTool({
  name: 'start_instance',
  title: 'Start a process instance',
  description:
    'Starts an instance of a deployed process (the latest version unless `version` is given) at its none start event, with the variables given. Returns the instance: its id (for get_instance), state and business key.',
  route: 'POST /process-instances',
  input: z.strictObject({
    processId: z.string().describe('The BPMN process id, as list_processes shows it'),
    variables: variables.optional(),
    businessKey: z.string().optional().describe('Your own key for the instance (an order number, say), at most 255 characters'),
    version: z.number().int().positive().optional().describe('A deployed version to start instead of the latest'),
  }),
  async run(args, actor, { engine }) {
    return { ...(await engine.startInstance(parseBody(startInstanceBody, args), actor.id)) };
  },
});

export const getInstance = defineTool({
  name: 'get_instance',
  title: 'Read a process instance',
  description:
    'Reads a process instance: its state (ACTIVE, COMPLETED, TERMINATED, CANCELED), variables, elements with their states, `activeElements` (where its tokens wait now), open and resolved incidents, and the timers it waits on.',
  route: 'GET /process-instances/:id',
  input: z.strictObject({
    instanceId: z.string().describe('The instance id start_instance returned (a UUID)'),
  }),
  annotations: { readOnlyHint: true },
  async run({ instanceId }, _actor, { engine }) {
    const instance = await engine.getInstance(pathId(instanceId, 'INSTANCE_NOT_FOUND', 'Process instance'));
    const activeElements = instance.elements.filter((e) => e.state !== 'COMPLETED' && e.state !== 'TERMINATED');
    return { ...instance, activeElements };
  },
});
