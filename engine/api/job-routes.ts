/**
 * /api/jobs: the worker protocol — activate, complete, fail, throw a BPMN
 * error — and an operator's change of a job's retries.
 *
 * Jobs of the agent queue (`agent`, `agent:<name>`) are the governed agent
 * worker's: its result is what the engine's policies, schema checks and
 * reviews have passed. Anyone else finishing such a job would put an
 * unchecked result into the process, so only a token with the `agent-worker`
 * scope (a privileged worker identity an admin grants) may take or finish
 * them; everyone else, admins included, gets 403 and nothing changes.
 */
import type { Response } from 'express';
import { WeftError } from '../errors.js';
import { AGENT_QUEUE, queueForJobType } from '../queue/routing.js';
import type { EngineApi } from '../service/types.js';
import { OPERATORS, WORKERS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import { actorOf } from './auth.js';
import { bodyOf } from './route-input.js';
import { activateJobBody, activateJobsBody, bpmnErrorBody, completeBody, failJobBody, jobParams, jobRetriesBody, pathId } from './schemas.js';

const AGENT_WORKER_SCOPE = 'agent-worker';

export function refuseAgentJobs(type: string, res: Response): void {
  if (queueForJobType(type) !== AGENT_QUEUE || actorOf(res).scopes?.includes(AGENT_WORKER_SCOPE)) return;
  throw new WeftError('FORBIDDEN', `Jobs of type '${type}' belong to the agent worker: only a token with the ${AGENT_WORKER_SCOPE} scope may take or finish them`);
}

export function jobRoutes(engine: EngineApi): ApiRoute[] {
  /** The job's key, after checking the caller may work jobs of its type (an unknown key is the engine's 404). */
  async function workableJob(key: string | string[], res: Response): Promise<string> {
    const jobKey = pathId(key, 'JOB_NOT_FOUND', 'Job');
    const type = await engine.jobType(jobKey);
    if (type !== null) refuseAgentJobs(type, res);
    return jobKey;
  }

  return routes('/jobs', (router) => {
    router.post('/activate', { access: WORKERS, summary: 'Take up to maxJobs jobs of a type for a time', body: activateJobsBody }, async (_req, res) => {
      const body = bodyOf(res, activateJobsBody);
      refuseAgentJobs(body.type, res);
      res.json({ jobs: await engine.activateJobs(body) });
    });
    router.post('/:key/activate', { access: WORKERS, summary: 'Take one job by its key (what a queue handed a worker)', params: jobParams, body: activateJobBody }, async (req, res) => {
      const key = await workableJob(req.params.key, res);
      const { workerId, timeoutMs } = bodyOf(res, activateJobBody);
      // null: already completed, canceled, waiting out a backoff, or held by another worker.
      res.json({ job: await engine.activateJob(key, workerId, timeoutMs) });
    });
    router.post('/:key/complete', { access: WORKERS, summary: 'Complete a job (a second completion answers duplicate: true)', params: jobParams, body: completeBody }, async (req, res) => {
      const key = await workableJob(req.params.key, res);
      const { variables } = bodyOf(res, completeBody);
      const { duplicate } = await engine.completeJob(key, variables ?? {}, actorOf(res).id);
      res.json({ ok: true, duplicate });
    });
    router.post('/:key/fail', { access: WORKERS, summary: 'Fail a job; with no retries left it opens an incident', params: jobParams, body: failJobBody }, async (req, res) => {
      const key = await workableJob(req.params.key, res);
      const { duplicate } = await engine.failJob(key, bodyOf(res, failJobBody), actorOf(res).id);
      res.json({ ok: true, duplicate });
    });
    router.post('/:key/bpmn-error', { access: WORKERS, summary: 'Throw a BPMN error from a job, for a boundary event to catch', params: jobParams, body: bpmnErrorBody }, async (req, res) => {
      const key = await workableJob(req.params.key, res);
      const { duplicate } = await engine.throwJobError(key, bodyOf(res, bpmnErrorBody), actorOf(res).id);
      res.json({ ok: true, duplicate });
    });
    // An operator's: it neither takes nor finishes the job (agent jobs included), and leaves an open incident open.
    router.post('/:key/retries', { access: OPERATORS, summary: 'Set the attempts an open job has left', params: jobParams, body: jobRetriesBody }, async (req, res) => {
      const key = pathId(req.params.key, 'JOB_NOT_FOUND', 'Job');
      const { retries } = bodyOf(res, jobRetriesBody);
      await engine.updateJobRetries(key, retries, actorOf(res).id);
      res.json({ ok: true, retries });
    });
  });
}
