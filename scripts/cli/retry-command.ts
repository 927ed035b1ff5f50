/**
 * `weft retry <incidentId> [--retries n]`: with --retries, the incident's job
 * first gets that many attempts (POST /api/jobs/:key/retries), then the
 * incident is resolved (POST /api/incidents/:id/resolve), which hands the job
 * out again or re-runs the element.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './api-client.js';
import { contextOf } from './context.js';

export function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number, at least 1');
  return n;
}

export function registerRetry(program: Command): void {
  program
    .command('retry')
    .description('resolve an incident and retry what failed')
    .argument('<incidentId>')
    .option('--retries <n>', "give the incident's job this many attempts first", positiveInt)
    .action(async (incidentId: string, opts: { retries?: number }, command: Command) => {
      const ctx = contextOf(command);
      if (opts.retries !== undefined) {
        // The incident names its job; there is no route for one incident, so it is found in the open ones.
        const { items } = await ctx.api.get<{ items: { id: string; jobKey: string | null }[] }>('/api/incidents', { state: 'OPEN' });
        const incident = items.find((i) => i.id === incidentId);
        if (!incident) throw new UsageError(`No open incident ${incidentId}`);
        if (!incident.jobKey) throw new UsageError(`Incident ${incidentId} has no job to give retries to; retry it without --retries`);
        await ctx.api.post(`/api/jobs/${encodeURIComponent(incident.jobKey)}/retries`, { retries: opts.retries });
      }
      const resolved = await ctx.api.post<{ id: string; processInstanceId?: string; state?: string }>(`/api/incidents/${encodeURIComponent(incidentId)}/resolve`);
      if (ctx.json) return ctx.out(JSON.stringify(resolved, null, 2));
      ctx.out(`Resolved incident ${incidentId}${opts.retries !== undefined ? ` (job given ${opts.retries} retries)` : ''}; retrying.`);
    });
}
