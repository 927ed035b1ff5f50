/** /api/jobs: the worker protocol — activate, complete, fail, throw a BPMN error. */
import { Router } from 'express';
import type { EngineApi } from '../service/types.js';
import { actorOf } from './auth.js';
import { activateJobBody, activateJobsBody, bpmnErrorBody, completeBody, failJobBody, parseBody, pathId } from './schemas.js';

export function jobRoutes(engine: EngineApi): Router {
  const router = Router();
  const jobKey = (key: string | string[]) => pathId(key, 'JOB_NOT_FOUND', 'Job');

  router.post('/activate', async (req, res) => {
    res.json({ jobs: await engine.activateJobs(parseBody(activateJobsBody, req.body)) });
  });
  router.post('/:key/activate', async (req, res) => {
    const key = jobKey(req.params.key);
    const { workerId, timeoutMs } = parseBody(activateJobBody, req.body);
    // null: already completed, canceled, waiting out a backoff, or held by another worker.
    res.json({ job: await engine.activateJob(key, workerId, timeoutMs) });
  });
  router.post('/:key/complete', async (req, res) => {
    const key = jobKey(req.params.key);
    const { variables } = parseBody(completeBody, req.body);
    const { duplicate } = await engine.completeJob(key, variables ?? {}, actorOf(res).id);
    res.json({ ok: true, duplicate });
  });
  router.post('/:key/fail', async (req, res) => {
    const key = jobKey(req.params.key);
    const { duplicate } = await engine.failJob(key, parseBody(failJobBody, req.body), actorOf(res).id);
    res.json({ ok: true, duplicate });
  });
  router.post('/:key/bpmn-error', async (req, res) => {
    const key = jobKey(req.params.key);
    const { duplicate } = await engine.throwJobError(key, parseBody(bpmnErrorBody, req.body), actorOf(res).id);
    res.json({ ok: true, duplicate });
  });
  return router;
}
