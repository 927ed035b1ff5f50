/**
 * `retry`: retries each open incident of each instance — with `retries`,
 * the incident's job is first given that many attempts (updateJobRetries,
 * audited as JOB_RETRIES_UPDATED), then the incident is resolved
 * (resolveIncident: INCIDENT_RESOLVED, and the job is handed out again or
 * the element re-run). An active instance without an open incident is
 * skipped; one that has ended cannot be retried (failed).
 *
 * Again after a stop: only incidents still open are retried, so one retried
 * by the earlier attempt is not retried twice; setting retries again to the
 * same number changes nothing.
 */
import { z } from 'zod';
import { WeftError } from '../../../errors.js';
import type { BatchKind } from '../batch-kind.js';

export const retryKind: BatchKind<{ retries?: number }> = {
  parameters: z.strictObject({
    retries: z.number({ error: 'must be a whole number of attempts' }).int('must be a whole number').min(1, 'must be at least 1').max(1_000_000).optional(),
  }),
  async apply(instanceId, { retries }, ctx) {
    const instance = await ctx.engine.getInstance(instanceId);
    if (instance.state !== 'ACTIVE') throw new WeftError('INSTANCE_NOT_ACTIVE', `Process instance ${instanceId} is ${instance.state}: it has no incident to retry`);
    const open = instance.incidents.filter((i) => i.state === 'OPEN');
    if (open.length === 0) {
      if (ctx.retried && (await ctx.appliedBefore(instanceId, 'INCIDENT_RESOLVED'))) return { state: 'done', message: 'incidents retried' };
      return { state: 'skipped', message: 'no open incident' };
    }
    let jobs = 0;
    for (const incident of open) {
      if (retries !== undefined && incident.jobKey) {
        await ctx.engine.updateJobRetries(incident.jobKey, retries, ctx.actor);
        jobs++;
      }
      await ctx.engine.resolveIncident(incident.id, ctx.actor);
    }
    const names = [...new Set(open.map((i) => i.elementId))].join(', ');
    return { state: 'done', message: `retried ${open.length} incident(s) at ${names}${jobs > 0 ? `; job retries set to ${retries}` : ''}` };
  },
};
