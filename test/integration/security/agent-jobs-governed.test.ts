/**
 * Regression (issue #8, finding 7): any admin or worker-scoped token could
 * take and complete `agent` jobs with any result, around the agent's
 * governance. Only a token with the `agent-worker` scope may; everyone else
 * gets 403 and the job stays as it was.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser, bearer, type Client } from '../../fixtures/people/client.js';

const xml = readFileSync(new URL('./access-matrix.bpmn', import.meta.url), 'utf8');

describe('jobs of the agent queue are the agent worker\'s', () => {
  let t: TestWeft;
  let admin: Client, worker: Client, agentWorker: Client;
  let agentJob: string, workJob: string;

  const tokenFor = async (user: string, scopes: string[]) => {
    const res = await t.api.post('/api/tokens', { user, name: scopes.join('+'), scopes });
    expect(res.status).toBe(201);
    return bearer(t.weft.url!, res.body.token);
  };
  const jobState = async (key: string) => (await t.weft.db('jobs').where({ key }).first('state')).state;

  beforeAll(async () => {
    // No agent worker in this engine: the agent job waits for whoever may take it.
    t = await startTestWeft({ features: false });
    await addUser(t.api, 'robot', 'user');
    admin = bearer(t.weft.url!, t.config.adminToken!);
    worker = await tokenFor('robot', ['worker']);
    agentWorker = await tokenFor('robot', ['agent-worker']);
    expect((await t.api.deploy([{ name: 'access-matrix.bpmn', xml }])).status).toBe(201);
    const started = await t.api.post('/api/process-instances', { processId: 'access-matrix' });
    const jobs = await eventually(async () => {
      const rows = await t.weft.db('jobs').where({ process_instance_id: started.body.id });
      return rows.length === 2 ? rows : null;
    });
    agentJob = jobs.find((j: { type: string }) => j.type === 'agent:triage').key;
    workJob = jobs.find((j: { type: string }) => j.type === 'work').key;
  });
  afterAll(async () => {
    await t?.stop();
  });

  for (const who of ['admin', 'worker'] as const) {
    it(`refuses the ${who} token activating, completing, failing or erroring an agent job`, async () => {
      // given
      const client = who === 'admin' ? admin : worker;
      // when
      const answers = [
        await client.post('/api/jobs/activate', { type: 'agent:triage', workerId: 'mallory' }),
        await client.post(`/api/jobs/${agentJob}/activate`, { workerId: 'mallory' }),
        await client.post(`/api/jobs/${agentJob}/complete`, { variables: { approved: true } }),
        await client.post(`/api/jobs/${agentJob}/fail`, { retries: 0, errorMessage: 'x' }),
        await client.post(`/api/jobs/${agentJob}/bpmn-error`, { errorCode: 'REJECTED' }),
      ];
      // then
      for (const res of answers) {
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/agent-worker scope/);
      }
      expect(await jobState(agentJob)).toBe('ACTIVATABLE');
    });
  }

  it('still lets a worker token work other job types', async () => {
    const res = await worker.post(`/api/jobs/${workJob}/complete`, { variables: {} });
    expect(res.status).toBe(200);
    expect(await jobState(workJob)).toBe('COMPLETED');
  });

  it('lets a token with the agent-worker scope take an agent job', async () => {
    const res = await agentWorker.post('/api/jobs/activate', { type: 'agent:triage', workerId: 'agent-1' });
    expect(res.status).toBe(200);
    expect(res.body.jobs.map((j: { key: string }) => j.key)).toEqual([agentJob]);
  });
});
