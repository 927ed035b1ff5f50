/**
 * Agents whose model is not configured (issue #12): the engine says so at
 * start (once, naming exactly those agents and what to set) and on deploy
 * (warnings by file and element id); a run stops at once with an incident
 * naming the setting in plain words; "resolve and retry" after the setting
 * is made starts the run's next attempt and completes it; the run's state
 * is true at every step; the key is nowhere in what the engine records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { startWeft } from '../../engine/weft.js';
import { agentDefinition, agentProcess, deployFiles, eventually, instanceIn, openIncident, runsOf, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { startOpenAiStandIn, type StandIn } from '../fixtures/agents/openai-stand-in.js';
import { cleanupPrefix, openTestRedis, testQueuePrefix } from '../support/test-redis.js';

const KEY_VAR = 'WEFT_TEST_SETUP_KEY';
const OTHER_VAR = 'WEFT_TEST_SETUP_OTHER_KEY';
const KEY = 'sk-test-setup-key-never-recorded-123';
const OTHER_KEY = 'sk-test-setup-other-key-never-recorded-456';
const BAD_VAR = 'WEFT_TEST_SETUP_BAD_KEY';
const BAD_KEY = 'sk-test-setup-refused-key-789';
const UNCONFIGURED_LINE = 'have no model provider configured';

describe('agents whose model is not configured', () => {
  let a: AgentTest;
  let provider: StandIn;
  let refusing: StandIn;
  const logs: string[] = [];
  const previous = { [KEY_VAR]: process.env[KEY_VAR], [OTHER_VAR]: process.env[OTHER_VAR], [BAD_VAR]: process.env[BAD_VAR] };

  /** Another engine start on the same database (its own queue prefix, so its workers take none of this file's jobs); returns what it logged. */
  async function startAndLog(): Promise<string[]> {
    const lines: string[] = [];
    const queuePrefix = testQueuePrefix();
    const weft = await startWeft({ config: { ...a.t.config, port: 0, queuePrefix }, logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }), http: false, background: false });
    await weft.close();
    const redis = openTestRedis();
    await cleanupPrefix(redis, queuePrefix);
    await redis.quit();
    logs.push(...lines);
    return lines;
  }

  beforeAll(async () => {
    delete process.env[KEY_VAR];
    delete process.env[OTHER_VAR];
    provider = await startOpenAiStandIn([{ content: '{"answer": "done after the key was set", "confidence": 0.9}' }]);
    // answers 401 echoing the key it was sent, as a provider may
    refusing = await startOpenAiStandIn([{ unauthorized: true }, { unauthorized: true }]);
    process.env[BAD_VAR] = BAD_KEY;
    a = await startAgentTest({
      connections: {
        keyed: { kind: 'openai', baseUrl: provider.url, credentials: { apiKey: `{{env.${KEY_VAR}}}` } },
        'other-keyed': { kind: 'anthropic', baseUrl: provider.url, credentials: { apiKey: `{{env.${OTHER_VAR}}}` } },
        local: { kind: 'openai', baseUrl: provider.url },
        refusing: { kind: 'openai', baseUrl: refusing.url, credentials: { apiKey: `{{env.${BAD_VAR}}}` } },
        // nothing listens on port 9 (discard)
        unreachable: { kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
      },
    });
  });
  afterAll(async () => {
    await a?.stop();
    await provider?.close();
    await refusing?.close();
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('deploys an agent task whose model is not configured, with a warning naming the file, the element and the setting', async () => {
    // given
    const files = [
      { name: 'summarizer.agent.json', content: JSON.stringify(agentDefinition({ name: 'summarizer', model: { connection: 'keyed', model: 'gpt-4o-mini' } })) },
      { name: 'summarize.bpmn', content: agentProcess({ id: 'summarize', agent: 'summarizer' }) },
      { name: 'local-helper.agent.json', content: JSON.stringify(agentDefinition({ name: 'local-helper', model: { connection: 'local', model: 'llama3' } })) },
      { name: 'local-help.bpmn', content: agentProcess({ id: 'local-help', agent: 'local-helper' }) },
      // deployed alone, named by no task of this deployment: warned by its file and field
      { name: 'translator.agent.json', content: JSON.stringify(agentDefinition({ name: 'translator', model: { connection: 'other-keyed', model: 'claude-haiku-4' } })) },
    ];

    // when
    const res = await deployFiles(a.t, files);

    // then
    expect(res.status).toBe(201);
    expect(res.body.agents.map((x: any) => x.name).sort()).toEqual(['local-helper', 'summarizer', 'translator']);
    expect(res.body.warnings).toEqual([
      { file: 'summarize.bpmn', elementId: 'agent-task', setting: KEY_VAR, message: expect.stringContaining(`needs the environment variable ${KEY_VAR} for its credentials; it is not set on this server`) },
      { file: 'translator.agent.json', field: 'model.connection', setting: OTHER_VAR, message: expect.stringContaining(`Agent 'translator' asks for model claude-haiku-4 through connection 'other-keyed' (anthropic)`) },
    ]);
  });

  it('says once at start which deployed agents have no model configured, and what to set', async () => {
    // when
    const lines = (await startAndLog()).map((l) => JSON.parse(l));

    // then
    const said = lines.filter((l) => l.msg.includes(UNCONFIGURED_LINE));
    expect(said).toHaveLength(1);
    expect(said[0].level).toBe(40);
    expect(said[0].agents).toEqual([
      { agent: 'summarizer', connection: 'keyed', provider: 'openai', model: 'gpt-4o-mini', settings: [KEY_VAR] },
      { agent: 'translator', connection: 'other-keyed', provider: 'anthropic', model: 'claude-haiku-4', settings: [OTHER_VAR] },
    ]);
    expect(said[0].msg).toContain(`summarizer asks for openai model gpt-4o-mini through connection 'keyed': set ${KEY_VAR}`);
    expect(said[0].msg).not.toContain('local-helper');
  });

  it('stops the run at once with an incident naming the setting, before anything is sent, and the run says FAILED', async () => {
    // given: the providers' own model factory, no fake
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'summarize', { request: 'summarize this' });

    // then
    const incident = await openIncident(a.t, id);
    expect(incident.message).toBe(
      `Job failed with no retries left: Agent 'summarizer' asks for model gpt-4o-mini through connection 'keyed' (openai), which needs the environment variable ${KEY_VAR} for its credentials; it is not set on this server. Set ${KEY_VAR} and restart Weft (or name another configured connection in the definition's model.connection), then retry.`,
    );
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items as any[];
    // one failure, out of retries at once: no round of crashed attempts
    expect(audit.filter((e) => e.type === 'JOB_FAILED').map((e) => e.payload.retries)).toEqual([0]);
    expect(audit.find((e) => e.type === 'AGENT_RUN_FAILED').payload.settings).toEqual([KEY_VAR]);
    expect(provider.requests).toHaveLength(0);
    const [run] = await runsOf(a.t, id);
    expect(run).toMatchObject({ agent: 'summarizer', status: 'FAILED', attempt: 1, error: expect.stringContaining(KEY_VAR), endedAt: expect.any(String) });
  });

  it('resolve and retry after the key is set starts the run again (RUNNING, attempt 2) and completes it (COMPLETED)', async () => {
    // given: an instance stopped in the incident
    const id = await startInstance(a.t, 'summarize', { request: 'summarize that' });
    const incident = await openIncident(a.t, id);
    const [failed] = await runsOf(a.t, id);
    expect(failed).toMatchObject({ status: 'FAILED', attempt: 1 });
    // no agent worker while the retry is taken, so the state in between can be seen
    await a.closeWorkers();
    process.env[KEY_VAR] = KEY;

    // when
    const resolved = await a.t.api.post(`/api/incidents/${incident.id}/resolve`);

    // then: the run's next attempt is running, in the same commit as the resolve
    expect(resolved.status).toBe(200);
    const [retried] = await runsOf(a.t, id);
    expect(retried).toMatchObject({ id: failed.id, status: 'RUNNING', attempt: 2, error: null, endedAt: null });

    // when: an agent worker takes the job
    a.worker(null);

    // then
    const done = await instanceIn(a.t, id, 'COMPLETED', 20_000);
    expect(done.variables.agentResult.output).toEqual({ answer: 'done after the key was set', confidence: 0.9 });
    expect(provider.requests).toHaveLength(1);
    expect(provider.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    const [completed] = await runsOf(a.t, id);
    expect(completed).toMatchObject({ id: failed.id, status: 'COMPLETED', attempt: 2, error: null, endedAt: expect.any(String) });
    const transcript = (await a.t.api.get(`/api/agent-runs/${failed.id}`)).body;
    expect(transcript).toMatchObject({ status: 'COMPLETED', attempt: 2 });
    expect((await a.t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items).toEqual([]);
  });

  it('a run whose attempts all crash says FAILED with its incident, RUNNING once retried, COMPLETED when a model answers', async () => {
    // given: a configured agent whose model cannot be reached (every attempt crashes)
    const files = [
      { name: 'flaky.agent.json', content: JSON.stringify(agentDefinition({ name: 'flaky', model: { connection: 'local', model: 'llama3' } })) },
      { name: 'flaky.bpmn', content: agentProcess({ id: 'flaky', agent: 'flaky' }) },
    ];
    expect((await deployFiles(a.t, files)).body.warnings).toEqual([]);
    a.worker(() => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    });

    // when
    const id = await startInstance(a.t, 'flaky', { request: 'anything' });

    // then: out of retries, the incident and the run agree
    const incident = await openIncident(a.t, id);
    const [failed] = await runsOf(a.t, id);
    expect(failed).toMatchObject({ status: 'FAILED', attempt: 1, error: expect.stringContaining('ECONNREFUSED'), endedAt: expect.any(String) });

    // when: retried with no worker yet
    await a.closeWorkers();
    expect((await a.t.api.post(`/api/incidents/${incident.id}/resolve`)).status).toBe(200);

    // then
    expect((await runsOf(a.t, id))[0]).toMatchObject({ id: failed.id, status: 'RUNNING', attempt: 2, endedAt: null });

    // when: a model answers
    a.worker(fakeModel().respond(new AIMessage('{"answer": "reached at last"}')));

    // then
    await instanceIn(a.t, id, 'COMPLETED');
    expect((await runsOf(a.t, id))[0]).toMatchObject({ id: failed.id, status: 'COMPLETED', attempt: 2, error: null });
  });

  it('a key the provider refuses stops the run at once, in plain words naming the variable, without the provider text', async () => {
    // given
    const files = [
      { name: 'refused.agent.json', content: JSON.stringify(agentDefinition({ name: 'refused', model: { connection: 'refusing', model: 'gpt-4o-mini' } })) },
      { name: 'refused.bpmn', content: agentProcess({ id: 'refused', agent: 'refused' }) },
    ];
    expect((await deployFiles(a.t, files)).body.warnings).toEqual([]);
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'refused', { request: 'anything' });

    // then
    const incident = await openIncident(a.t, id);
    expect(incident.message).toBe(
      `Job failed with no retries left: Agent 'refused': the model provider at ${refusing.url} (connection 'refusing') refused its credentials (HTTP 401). Check the key in ${BAD_VAR}, restart Weft, then retry.`,
    );
    expect(refusing.requests).toHaveLength(1);
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items as any[];
    expect(audit.filter((e) => e.type === 'JOB_FAILED').map((e) => e.payload.retries)).toEqual([0]);
    expect((await runsOf(a.t, id))[0]).toMatchObject({ status: 'FAILED', error: incident.message.replace('Job failed with no retries left: ', '') });
  });

  it('a provider that cannot be reached is retried, and its incident says where it was looked for', async () => {
    // given
    const files = [
      { name: 'far.agent.json', content: JSON.stringify(agentDefinition({ name: 'far', model: { connection: 'unreachable', model: 'llama3' } })) },
      { name: 'far.bpmn', content: agentProcess({ id: 'far', agent: 'far', retries: 2 }) },
    ];
    await deployFiles(a.t, files);
    a.worker(null);

    // when
    const id = await startInstance(a.t, 'far', { request: 'anything' });

    // then
    const incident = await openIncident(a.t, id, 20_000);
    expect(incident.message).toMatch(/^Job failed with no retries left: Agent 'far' could not reach the model provider at http:\/\/127\.0\.0\.1:9\/v1 \(connection 'unreachable'\)( \(ECONNREFUSED\))?\. Check that it runs and that this server can reach it\.$/);
    const audit = (await a.t.api.get(`/api/process-instances/${id}/audit`)).body.items as any[];
    expect(audit.filter((e) => e.type === 'JOB_FAILED').map((e) => e.payload.retries)).toEqual([1, 0]);
    expect((await runsOf(a.t, id))[0]).toMatchObject({ status: 'FAILED' });
  });

  it('an instance canceled while its run waits in the incident ends the run as CANCELED', async () => {
    // given
    delete process.env[KEY_VAR];
    a.worker(null);
    const id = await startInstance(a.t, 'summarize', { request: 'never mind' });
    await openIncident(a.t, id);

    // when
    const canceled = await a.t.api.post(`/api/process-instances/${id}/cancel`);

    // then
    expect(canceled.status).toBeLessThan(300);
    const [run] = await eventually(async () => {
      const runs = await runsOf(a.t, id);
      return runs[0]?.status !== 'FAILED' && runs;
    });
    expect(run).toMatchObject({ status: 'CANCELED', endedAt: expect.any(String) });
  });

  it('says nothing at start once every deployed agent has its model, and no key is in incidents, audit, runs, jobs or logs', async () => {
    // given
    process.env[KEY_VAR] = KEY;
    process.env[OTHER_VAR] = OTHER_KEY;

    // when
    const lines = await startAndLog();

    // then
    expect(lines.filter((l) => l.includes(UNCONFIGURED_LINE))).toEqual([]);
    const db = a.t.weft.db;
    const recorded = [
      JSON.stringify(await db('incidents').select('*')),
      JSON.stringify(await db('audit').select('*')),
      JSON.stringify(await db('agent_runs').select('*')),
      JSON.stringify(await db('agent_run_steps').select('*')),
      JSON.stringify(await db('jobs').select('error_message', 'variables', 'headers')),
      logs.join('\n'),
    ];
    for (const text of recorded) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(OTHER_KEY);
      expect(text).not.toContain(BAD_KEY);
      expect(text).not.toContain('Incorrect API key');
    }
  });
});
