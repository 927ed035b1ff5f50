/**
 * /v2/jobs: Camunda 8's job worker protocol over Weft's engine — activation
 * with long polling (long-poll.ts), completion, failure, BPMN error, a
 * retries and timeout change, search. Callers and rules are /api/jobs' own (WORKERS
 * access; agent-queue jobs only for the agent worker); answers and errors
 * are Camunda's shapes (204 for actions, problem+json).
 */
import express, { type Request, type Response } from 'express';
import { WORKERS, describeAccess, mayCall } from '../../../api/access.js';
import { actorOf } from '../../../api/auth.js';
import { refuseAgentJobs } from '../../../api/job-routes.js';
import { parseBody } from '../../../api/schemas.js';
import { WeftError } from '../../../errors.js';
import type { FeatureContext } from '../../types.js';
import { idOf, isKey } from '../keys.js';
import { activationBody, completionBody, errorBody, failureBody, JOB_SORT_COLUMNS, searchBody, updateBody } from './job-schemas.js';
import { searchResult, window } from '../search.js';
import { activatedJobsV2, searchResultsV2, statesOf } from './job-shapes.js';
import { releaseJobs } from './job-release.js';
import type { JobWaiters } from './long-poll.js';
import { JobKeyCache } from './job-key-cache.js';

/** requestTimeout 0: Zeebe's gateway holds a long poll 10 s by default. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

function requireWorker(res: Response): void {
  if (!mayCall(actorOf(res), WORKERS)) throw new WeftError('FORBIDDEN', `The /v2 job API needs the ${describeAccess(WORKERS)}`);
}

const notHeld = (req: Request) => new WeftError('JOB_NOT_ACTIVE', `Job ${req.params.jobKey} is not held by a worker`);

export function v2JobRoutes(ctx: Pick<FeatureContext, 'db' | 'engine' | 'logger'>, waiters: JobWaiters): express.Router {
  const { db, engine } = ctx;
  const router = express.Router({ caseSensitive: true, strict: true });
  const handedOut = new JobKeyCache();

  /** The Weft job behind a key the caller may work; unknown → 404. */
  async function workableJob(req: Request, res: Response): Promise<string> {
    requireWorker(res);
    const key = String(req.params.jobKey);
    const job = handedOut.get(key) ?? (isKey(key) ? await jobBehind(key) : undefined);
    if (!job) throw new WeftError('JOB_NOT_FOUND', `No job with key ${key}`);
    refuseAgentJobs(job.type, res);
    return job.id;
  }

  /** The job behind a key this process did not hand out, and its type, in one read. */
  async function jobBehind(key: string) {
    const row = await db('v2_keys as k').joinRaw('JOIN jobs j ON j.key = k.id::uuid').where({ 'k.kind': 'job', 'k.key': key }).first('j.key', 'j.type');
    if (!row) return undefined;
    const job = { id: row.key as string, type: row.type as string };
    handedOut.remember(key, job);
    return job;
  }

  router.post('/activation', async (req, res) => {
    requireWorker(res);
    const body = parseBody(activationBody, req.body);
    refuseAgentJobs(body.type, res);
    const worker = body.worker?.trim() || 'camunda-v2';
    const holdMs = body.requestTimeout === undefined || body.requestTimeout === 0 ? DEFAULT_REQUEST_TIMEOUT_MS : body.requestTimeout;
    const until = Date.now() + Math.max(0, holdMs);
    // The client may go: `res` closes before we answered. Never activate for a gone client.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    // Entered only when the poll is going to wait: an answer-at-once poll opens no listener for its type.
    let ticket: ReturnType<JobWaiters['enter']> | undefined;
    try {
      for (;;) {
        if (gone.signal.aborted) return;
        const jobs = await engine.activateJobs({ type: body.type, maxJobs: body.maxJobsToActivate, workerId: worker, timeoutMs: body.timeout });
        if (jobs.length > 0) {
          if (gone.signal.aborted) {
            // Gone while activating: hand them back and let the next poll have them.
            await releaseJobs(db, jobs.map((j) => j.key), worker);
            waiters.wake(body.type);
            return;
          }
          // A full batch: there may be more, for the next one in line.
          if (jobs.length === body.maxJobsToActivate) waiters.wake(body.type);
          const shaped = await activatedJobsV2(db, jobs, worker, body.fetchVariable);
          jobs.forEach((job, i) => handedOut.remember(shaped[i].jobKey as string, { id: job.key, type: job.type }));
          res.json({ jobs: shaped });
          return;
        }
        if (holdMs < 0 || Date.now() >= until) break;
        if (!ticket) {
          // Listening now: look once more, so a job dispatched since the look above is not left to the re-check.
          ticket = waiters.enter(body.type);
          continue;
        }
        const outcome = await ticket.wait(until, gone.signal);
        if (outcome === 'aborted') return;
        if (outcome === 'timeout') break;
      }
      res.json({ jobs: [] });
    } finally {
      if (ticket) waiters.leave(ticket);
    }
  });

  router.post('/search', async (req, res) => {
    requireWorker(res);
    const { filter = {}, page, sort = [] } = parseBody(searchBody, req.body);
    const { offset, limit } = window(page);
    const q = db('jobs');
    if (filter.type !== undefined) q.where('type', filter.type);
    if (filter.state !== undefined) q.whereIn('state', statesOf(filter.state));
    if (filter.worker !== undefined) q.where('worker_id', filter.worker);
    if (filter.elementId !== undefined) q.where('element_id', filter.elementId);
    if (filter.processDefinitionId !== undefined) q.where('process_id', filter.processDefinitionId);
    for (const [field, kind, column] of [
      ['processInstanceKey', 'process-instance', 'process_instance_id'],
      ['jobKey', 'job', 'key'],
    ] as const) {
      const key = filter[field];
      if (key === undefined) continue;
      const id = await idOf(db, kind, key);
      if (id === undefined) return void res.json(searchResult([], 0, offset));
      q.where(column, id);
    }
    const [{ count }] = await q.clone().count({ count: '*' });
    for (const s of sort) q.orderBy(JOB_SORT_COLUMNS[s.field], s.order?.toLowerCase() === 'desc' ? 'desc' : 'asc');
    const rows = await q.orderBy('created_at').orderBy('key').offset(offset).limit(limit).select('*');
    res.json(searchResult(await searchResultsV2(db, rows), Number(count), offset));
  });

  router.post('/:jobKey/completion', async (req, res) => {
    const id = await workableJob(req, res);
    const { variables, result } = parseBody(completionBody, req.body);
    // A user task's result (its listeners' corrections) means nothing to Weft's jobs; an ad-hoc sub-process's steers it.
    const steering =
      result?.type === 'adHocSubProcess'
        ? {
            type: 'adHocSubProcess' as const,
            activateElements: (result.activateElements ?? []).map((a) => ({ elementId: a.elementId, variables: a.variables ?? {} })),
            completionConditionFulfilled: result.isCompletionConditionFulfilled ?? false,
            cancelRemainingInstances: result.isCancelRemainingInstances ?? false,
          }
        : undefined;
    await engine.completeJob(id, variables ?? {}, actorOf(res).id, steering);
    res.status(204).end();
  });

  router.post('/:jobKey/failure', async (req, res) => {
    const id = await workableJob(req, res);
    const body = parseBody(failureBody, req.body);
    if (body.variables && Object.keys(body.variables).length > 0) throw new WeftError('BAD_REQUEST', 'variables: setting variables on a failure is not supported');
    await engine.failJob(id, { retries: body.retries, errorMessage: body.errorMessage ?? '', retryBackoffMs: body.retryBackOff ?? 0 }, actorOf(res).id);
    res.status(204).end();
  });

  router.post('/:jobKey/error', async (req, res) => {
    const id = await workableJob(req, res);
    const body = parseBody(errorBody, req.body);
    await engine.throwJobError(id, { errorCode: body.errorCode, errorMessage: body.errorMessage ?? undefined, variables: body.variables ?? {} }, actorOf(res).id);
    res.status(204).end();
  });

  router.patch('/:jobKey', async (req, res) => {
    const id = await workableJob(req, res);
    const { changeset } = parseBody(updateBody, req.body);
    const held = () => db('jobs').where({ key: id, state: 'ACTIVATED' });
    // Both in one changeset: the timeout's precondition is checked before the retries change, so a refusal changes nothing.
    if (changeset.timeout != null && changeset.retries != null && !(await held().first('key'))) throw notHeld(req);
    if (changeset.retries != null) await engine.updateJobRetries(id, changeset.retries, actorOf(res).id);
    if (changeset.timeout != null) {
      // A new lock from now on, for a job a worker holds (Camunda's timeout update); the deadline is the jobs table's alone, no instance state.
      const changed = await held().update({ deadline: db.raw(`now() + (? || ' milliseconds')::interval`, [String(changeset.timeout)]), updated_at: db.fn.now() });
      if (changed === 0) throw notHeld(req);
    }
    res.status(204).end();
  });

  return router;
}
