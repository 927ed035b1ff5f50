/** What the batch operation tests share: the fixture, starting instances, and reading what the engine recorded. */
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import type { ApiClient } from '../../support/test-weft.js';
import { eventually } from '../../support/test-weft.js';

export const batchTargetXml = readFileSync(new URL('./batch-target.bpmn', import.meta.url), 'utf8');

export async function deployFixture(api: ApiClient): Promise<void> {
  const res = await api.deploy([{ name: 'batch-target.bpmn', xml: batchTargetXml }]);
  if (res.status !== 201) throw new Error(`deploy answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export async function startInstances(api: ApiClient, processId: string, n: number, jobType: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await api.post('/api/process-instances', { processId, variables: { jobType } });
    if (res.status !== 201) throw new Error(`start answered ${res.status}: ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
  return ids;
}

export async function stateOf(db: Knex, id: string): Promise<string> {
  return (await db('process_instances').where({ id }).first('status')).status;
}

/** The audit events of `type` on an instance, with their actors. */
export async function auditOf(db: Knex, id: string, type: string): Promise<{ actor: string; payload: any }[]> {
  return db('audit').where({ process_instance_id: id, type }).orderBy('id').select('actor', 'payload');
}

/** Waits until the batch has ended (COMPLETED or CANCELED) and answers it with its items. */
export async function ended(api: ApiClient, id: string, timeoutMs = 15_000): Promise<any> {
  return eventually(async () => {
    const res = await api.get(`/api/batch-operations/${id}?limit=500`);
    return res.body.state !== 'RUNNING' && res.body.pending === 0 ? res.body : null;
  }, timeoutMs);
}

/** Fails an instance's one job with no retries left: an incident. */
export async function failIntoIncident(api: ApiClient, jobType: string, count: number): Promise<void> {
  const jobs: { key: string }[] = [];
  await eventually(async () => {
    const res = await api.post('/api/jobs/activate', { type: jobType, workerId: 'test', maxJobs: count - jobs.length });
    jobs.push(...res.body.jobs);
    return jobs.length === count;
  });
  for (const job of jobs) await api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage: 'card declined' });
}
