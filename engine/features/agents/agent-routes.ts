/**
 * /api/agents: deployed definitions and the kill switches (audited with the
 * actor); /api/agent-runs: runs of an instance and one run's transcript.
 */
import { OPERATORS, STAFF } from '../../api/access.js';
import { z } from 'zod';
import { routes, type ApiRoute } from '../../api/api-routes.js';
import { queryOf } from '../../api/route-input.js';
import { pageFields } from '../../api/schemas.js';
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import { actorOf } from '../../api/auth.js';
import { AgentRepository, GLOBAL_SWITCH } from '../../../connectors/agents/agent-repository.js';
import { transcript } from '../../../connectors/agents/transcript.js';
import { listRuns, RUN_STATES } from '../../../connectors/agents/run-board.js';

/** Runs a page of the list holds at most (the instance page asks page after page). */
const MAX_RUNS_PAGE = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function param(value: string | string[]): string {
  return Array.isArray(value) ? value.join('/') : value;
}

/**
 * Agent jobs waiting out a backoff (a switched-off agent's, or all of them),
 * handed to the agent worker now: switching an agent on takes effect at once.
 */
async function wakeWaitingAgentJobs(db: Knex, wake: (jobKey: string) => Promise<boolean>, name?: string): Promise<number> {
  const rows: { key: string }[] = await db('jobs')
    .where({ state: 'ACTIVATABLE' })
    .andWhere('available_at', '>', db.fn.now())
    .andWhere((q) => {
      if (name) q.where({ type: `agent:${name}` }).orWhere((w) => w.where({ type: 'agent' }).andWhereRaw("headers->>'agent' = ?", [name]));
      else q.where({ type: 'agent' }).orWhere('type', 'like', 'agent:%');
    })
    .select('key');
  let woken = 0;
  for (const { key } of rows) if (await wake(key)) woken++;
  return woken;
}

export function agentRoutes(db: Knex, wake: (jobKey: string) => Promise<boolean>): ApiRoute[] {
  const repo = new AgentRepository(db);
  // Modelers may read the registry; the kill switches are operations.
  return routes('/agents', (router) => {
    router.get('/', { access: STAFF, summary: 'Deployed agent definitions and their kill switches' }, async (_req, res) => {
      const switches = await repo.switches();
      const rows = await repo.listDefinitions();
      res.json({
        allDisabled: switches[GLOBAL_SWITCH] === true,
        items: rows.map((r: any) => ({ key: r.key, name: r.name, version: r.version, resourceName: r.resource_name, deploymentId: r.deployment_id, createdAt: r.created_at, disabled: switches[r.name] === true })),
      });
    });
    // Registered before `/:name/…`, so `disable-all` is never taken for an agent name.
    router.post('/disable-all', { access: OPERATORS, summary: 'Switch every agent off (audited)' }, async (_req, res) => {
      await repo.setSwitch(GLOBAL_SWITCH, true, actorOf(res).id);
      res.json({ scope: 'all', disabled: true });
    });
    router.post('/enable-all', { access: OPERATORS, summary: 'Switch agents back on and wake their waiting jobs (audited)' }, async (_req, res) => {
      await repo.setSwitch(GLOBAL_SWITCH, false, actorOf(res).id);
      await wakeWaitingAgentJobs(db, wake);
      res.json({ scope: 'all', disabled: false });
    });
    for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
      router.post(`/:name/${action}`, { access: OPERATORS, summary: `${action === 'disable' ? 'Switch one agent off' : 'Switch one agent back on'} (audited)` }, async (req, res) => {
        const name = param(req.params.name);
        if (!(await repo.latestDefinition(name))) throw new WeftError('NOT_FOUND', `No agent definition named '${name}' is deployed`);
        await repo.setSwitch(name, disabled, actorOf(res).id);
        if (!disabled) await wakeWaitingAgentJobs(db, wake, name);
        res.json({ name, disabled });
      });
    }
  });
}

// Strict, as the instance search: a misspelt filter (processInstanceID, status) is a 400, not a wider list.
const runsQuery = z.strictObject({
  processInstanceId: z.guid('must be a UUID').optional().describe('Only the runs of this instance (then every state unless `state` says)'),
  state: z
    .enum(RUN_STATES, { error: `must be one of ${RUN_STATES.join(', ')}` })
    .optional()
    .describe('in-flight (not ended; the default without an instance), ended, all, or one state: RUNNING, WAITING, COMPLETED, FAILED, REJECTED, CANCELED'),
  agent: z.string().trim().min(1, 'must not be empty').max(200).optional().describe('Only the runs of this agent definition (by name)'),
  ...pageFields(MAX_RUNS_PAGE),
});

export function agentRunRoutes(db: Knex): ApiRoute[] {
  const repo = new AgentRepository(db);
  // Transcripts hold the data agents saw: operations only.
  return routes('/agent-runs', (router) => {
    router.get('/', { access: OPERATORS, summary: 'Agent runs: in flight across all instances (the live agent view), or an instance\'s; each with its current activity, usage and limits', query: runsQuery }, async (_req, res) => {
      const q = queryOf(res, runsQuery);
      const state = q.state ?? (q.processInstanceId ? 'all' : 'in-flight');
      const page = await listRuns(db, { ...q, state });
      res.json({ items: page.items, total: page.total, limit: q.limit, offset: q.offset });
    });
    router.get('/:id', { access: OPERATORS, summary: "An agent run's transcript: model calls, tool calls, results" }, async (req, res) => {
      const id = param(req.params.id);
      const run = UUID.test(id) ? await repo.run(id) : undefined;
      if (!run) throw new WeftError('NOT_FOUND', `No agent run ${id}`);
      res.json(await transcript(repo, run));
    });
  });
}
