/**
 * Secrets reach no sink (issue #8, finding 4): a provider's 401 that echoes
 * the key, a REST worker's error message that quotes the admin token or a
 * secret from the environment, an error response that repeats what it was
 * sent. Each is looked for everywhere it could land: the captured log
 * output, audit rows, job rows, incidents, instance state, the agent journal
 * and transcript, and the REST responses.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { agentDefinition, agentProcess, deployAgent, openIncident, runsOf, startInstance } from '../fixtures/agents/agent-harness.js';
import { startOpenAiStandIn, type StandIn } from '../fixtures/agents/openai-stand-in.js';
import { defaultConnections } from '../../engine/connections/load-connections.js';

/** No well-known key shape: only the scrub of secret environment values can catch these. */
const PROVIDER_KEY = 'provider-key-7f3a9c0e5b2d4e61a8';
const PAYMENTS_SECRET = 'acme-payments-secret-51c2d9';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');

/** Everything a Weft keeps about one instance, as text: its rows in every table and what the REST API shows of it. */
async function everythingAbout(t: TestWeft, instanceId: string): Promise<string> {
  const { db } = t.weft;
  const rows = await Promise.all([
    db('audit').select('*'),
    db('jobs').where({ process_instance_id: instanceId }).select('*'),
    db('incidents').where({ process_instance_id: instanceId }).select('*'),
    db('process_instances').where({ id: instanceId }).select('*'),
    db('agent_runs').select('*'),
    db('agent_run_steps').select('*'),
  ]);
  const rest = await Promise.all([
    t.api.get(`/api/process-instances/${instanceId}`),
    t.api.get(`/api/process-instances/${instanceId}/audit`),
    t.api.get(`/api/incidents?processInstanceId=${instanceId}`),
  ]);
  return JSON.stringify([rows, rest.map((r) => r.body)]);
}

async function activateOne(t: TestWeft, type: string): Promise<any> {
  return eventually(async () => (await t.api.post('/api/jobs/activate', { type, workerId: 'remote-worker', maxJobs: 1, timeoutMs: 60_000 })).body.jobs[0]);
}

describe('secrets in logs, audit, incidents, journal and responses', () => {
  let t: TestWeft;
  let provider: StandIn;
  const log: string[] = [];
  const previous = { leaky: process.env.LEAKY_PROVIDER_CONN, payments: process.env.ACME_PAYMENTS_SECRET };

  beforeAll(async () => {
    // A name that does not look secret: the key is known as one because a connection reads its credential from it.
    process.env.LEAKY_PROVIDER_CONN = PROVIDER_KEY;
    process.env.ACME_PAYMENTS_SECRET = PAYMENTS_SECRET;
    provider = await startOpenAiStandIn([{ unauthorized: true }]);
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        log.push(String(chunk));
        done();
      },
    });
    // Weft's own logger (no logger passed), writing into the test.
    // The provider is a connection an administrator set up, its key in the server's environment.
    const reach = {
      connections: { ...defaultConnections(process.env), 'leaky-provider': { kind: 'openai' as const, baseUrl: provider.url, credentials: { apiKey: '{{env.LEAKY_PROVIDER_CONN}}' } } },
      inline: { mcpCommands: false, mcpUrls: false },
    };
    t = await startTestWeft({ logger: undefined, logStream }, { config: { logLevel: 'info', reach } });
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: fixture('two-jobs.bpmn') }])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await provider?.close();
    for (const [name, value] of [['LEAKY_PROVIDER_CONN', previous.leaky], ['ACME_PAYMENTS_SECRET', previous.payments]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("keeps a provider key that the provider's 401 echoes out of the log, audit, job, incident, journal, transcript and responses", async () => {
    // given an agent whose provider refuses the key and quotes it back
    const definition = agentDefinition({ name: 'leaky', model: { connection: 'leaky-provider', model: 'gpt-4o-mini', temperature: 0 } });
    await deployAgent(t, definition, agentProcess({ id: 'leaky', agent: 'leaky', retries: 1 }), 'leaky');

    // when the agent runs
    const id = await startInstance(t, 'leaky', { request: 'hello' });

    // then the key went out and came back (so there was something to leak) ...
    const incident = await openIncident(t, id);
    expect(provider.requests[0].headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    // the incident says in plain words what to fix, never the provider's own text (which quoted the key)
    expect(incident.message).toContain("refused its credentials (HTTP 401). Check the key in LEAKY_PROVIDER_CONN");
    expect(incident.message).not.toContain('Incorrect API key provided');
    const logged = await eventually(async () => log.find((line) => line.includes('agent worker error')));
    expect(logged).toContain('Incorrect API key provided');
    // ... and it is nowhere
    const [run] = await runsOf(t, id);
    const transcript = await t.api.get(`/api/agent-runs/${run.id}`);
    expect(transcript.status).toBe(200);
    const everything = (await everythingAbout(t, id)) + JSON.stringify(transcript.body) + log.join('');
    expect(everything).not.toContain(PROVIDER_KEY);
  });

  it("scrubs the admin token, a secret environment value and a URL's password from a REST worker's error message", async () => {
    // given a job handed to a worker over REST
    const type = `charge-${Date.now()}`;
    const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: type } });
    const job = await activateOne(t, type);

    // when the worker fails it with a message quoting secrets
    const errorMessage = `charge failed: token=${t.weft.adminToken} secret=${PAYMENTS_SECRET} db=postgres://weft:hunter2hunter2@db:5432/weft`;
    const failed = await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage });
    expect(failed.status).toBe(200);

    // then the incident says what happened, without the secrets
    const incident = await openIncident(t, started.body.id);
    expect(incident.message).toBe('Job failed with no retries left: charge failed: token=[redacted] secret=[redacted] db=postgres://weft:[redacted]@db:5432/weft');
    const everything = (await everythingAbout(t, started.body.id)) + log.join('');
    for (const secret of [t.weft.adminToken, PAYMENTS_SECRET, 'hunter2hunter2']) expect(everything).not.toContain(secret);
  });

  it('does not repeat a secret in an error response', async () => {
    // when a request names a secret where an id belongs
    const res = await t.api.get(`/api/process-instances/${PAYMENTS_SECRET}`);

    // then the 4xx says what was wrong, without it
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("'[redacted]' not found");
    expect(JSON.stringify(res.body)).not.toContain(PAYMENTS_SECRET);
  });
});

describe('a generated admin token', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft({}, { config: { adminToken: undefined } });
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: fixture('two-jobs.bpmn') }])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is scrubbed like a configured one, though it lives in the database and not in the environment', async () => {
    // given a job, and an admin token Weft generated
    expect(t.weft.adminTokenGenerated).toBe(true);
    const type = `charge-${Date.now()}`;
    const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: type } });
    const job = await activateOne(t, type);

    // when a worker's error message quotes it
    await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage: `upstream said: Authorization ${t.weft.adminToken}` });

    // then
    const incident = await openIncident(t, started.body.id);
    expect(incident.message).toBe('Job failed with no retries left: upstream said: Authorization [redacted]');
    expect(await everythingAbout(t, started.body.id)).not.toContain(t.weft.adminToken);
  });
});
