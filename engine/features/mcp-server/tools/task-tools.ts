/**
 * The caller's inbox: list_my_tasks (GET /api/tasks with the inbox's filters),
 * claim_task (POST /api/tasks/:id/claim), complete_task
 * (POST /api/tasks/:id/complete). Whose task is whose, claiming before
 * completing and the forms' validation are the task routes' own functions
 * (taskActions), called here as the routes call them.
 */
import { z } from 'zod';
import { completeBody, parseBody, pathId } from '../../../api/schemas.js';
import { defineTool } from '../mcp-tool.js';

const taskId = z.string().describe('The task id, as list_my_tasks shows it (a UUID)');
const id = (value: string) => pathId(value, 'TASK_NOT_FOUND', 'Task');

export const listMyTasks = defineTool({
  name: 'list_my_tasks',
  title: 'List my open tasks',
  description:
    "Lists the caller's open user tasks, highest priority first: those assigned to the caller and those offered to them (a candidate user or group) that nobody has claimed. Each task has its id, name, process, assignee, candidates, due date, priority, form id and the variables it shows.",
  route: 'GET /tasks',
  input: z.strictObject({
    scope: z.enum(['mine', 'claimable', 'all']).optional().describe('`mine`: assigned to me; `claimable`: unassigned and offered to me; `all` (default): both'),
    processId: z.string().optional().describe('Only tasks of this process'),
    processInstanceId: z.string().optional().describe('Only tasks of this instance (a UUID)'),
    limit: z.number().int().optional().describe('At most this many (1–500, default 50)'),
    offset: z.number().int().optional().describe('Skip this many (for paging)'),
  }),
  annotations: { readOnlyHint: true },
  async run({ scope = 'all', ...filters }, actor, { tasks, apiEdge }) {
    return { ...(await tasks.list(actor, apiEdge?.tasks, { scope, state: 'CREATED', ...filters })) };
  },
});

export const claimTask = defineTool({
  name: 'claim_task',
  title: 'Claim a task',
  description: 'Claims an unassigned task offered to the caller, so that the caller can complete it. Returns the task.',
  route: 'POST /tasks/:id/claim',
  input: z.strictObject({ taskId }),
  async run({ taskId }, actor, { tasks }) {
    return { ...(await tasks.claim(id(taskId), actor, actor.user)) };
  },
});

export const completeTask = defineTool({
  name: 'complete_task',
  title: 'Complete a task',
  description:
    'Completes a task assigned to the caller (claim it first if it is only offered), with the variables given; a task with a form accepts only what its form accepts, and the error names each refused field. Completing a task twice is not an error: the answer says `duplicate`.',
  route: 'POST /tasks/:id/complete',
  input: z.strictObject({
    taskId,
    variables: z.record(z.string(), z.unknown()).optional().describe('What the task produces: a JSON object of process variables, e.g. {"decision": "approve"}'),
  }),
  async run({ taskId, variables }, actor, { tasks }) {
    const task = id(taskId);
    const body = parseBody(completeBody, { variables });
    return tasks.complete(task, actor, body.variables ?? {});
  },
});
