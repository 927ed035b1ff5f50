/**
 * /api/a2a/exposed: the processes outside agents may hand work to over A2A,
 * each with the Agent Card text it is published under. Administrators only
 * (exposing a process lets every token that may start instances start it
 * from outside, and read its result), audited.
 */
import { z } from 'zod';
import type { Knex } from 'knex';
import { ADMINS } from '../../api/access.js';
import { routes, type ApiRoute } from '../../api/api-routes.js';
import { actorOf } from '../../api/auth.js';
import { bodyOf } from '../../api/route-input.js';
import { WeftError } from '../../errors.js';
import { ExposedRepository } from './exposed-repository.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'must be a variable name');

export const exposeBody = z.strictObject({
  name: text(200).optional(),
  description: text(2000).optional(),
  skills: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - only'),
        name: text(200),
        description: text(2000).optional(),
        tags: z.array(text(50)).max(20).optional(),
        examples: z.array(text(500)).max(20).optional(),
      }),
    )
    .max(50)
    .optional(),
  /** The variables a completed task's artifact carries; absent: every variable of the instance. */
  outputVariables: z.array(name).max(100).optional(),
});

const processIdParam = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/, 'must be a BPMN process id');
const processParams = z.object({ processId: processIdParam.describe('The BPMN process id') });

export function exposedRoutes(db: Knex): ApiRoute[] {
  const repo = new ExposedRepository(db);
  const processIdOf = (value: string | string[]) => {
    const parsed = processIdParam.safeParse(String(value));
    if (!parsed.success) throw new WeftError('NOT_FOUND', `No process '${String(value)}'`);
    return parsed.data;
  };
  return routes('/a2a/exposed', (router) => {
    router.get('/', { access: ADMINS, summary: 'List the processes exposed as A2A agents' }, async (_req, res) => {
      res.json({ items: await repo.list() });
    });
    router.put('/:processId', { access: ADMINS, summary: 'Expose a deployed process as an A2A agent (its Agent Card)', params: processParams, body: exposeBody }, async (req, res) => {
      const processId = processIdOf(req.params.processId);
      const body = bodyOf(res, exposeBody);
      const deployed = await db('process_definitions').where({ process_id: processId }).first('key');
      if (!deployed) throw new WeftError('NOT_FOUND', `No process '${processId}' is deployed`);
      const skills = (body.skills ?? []).map((s) => ({ id: s.id, name: s.name, description: s.description ?? s.name, tags: s.tags ?? [], examples: s.examples ?? [] }));
      res.json(await repo.expose({ processId, name: body.name ?? null, description: body.description ?? null, skills, outputVariables: body.outputVariables ?? null, exposedBy: actorOf(res).id }));
    });
    router.delete('/:processId', { access: ADMINS, summary: 'Withdraw an exposed process', params: processParams }, async (req, res) => {
      const processId = processIdOf(req.params.processId);
      if (!(await repo.withdraw(processId, actorOf(res).id))) throw new WeftError('NOT_FOUND', `Process '${processId}' is not exposed`);
      res.status(204).end();
    });
  });
}
