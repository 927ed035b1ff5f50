/**
 * Regression tests: input Postgres cannot store, or that would vanish on the
 * way, is refused with a 400 at the edge. Each of these was a 500 (or a
 * silently dropped variable) before engine/api/request-guard.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type ApiResponse, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');

describe('input that cannot be stored', () => {
  let t: TestWeft;
  let job: any;
  let task: any;

  /** POSTs a JSON text as is (JSON.stringify cannot write a `__proto__` key). */
  async function postRaw(path: string, json: string): Promise<ApiResponse> {
    const res = await fetch(t.weft.url + path, { method: 'POST', headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': 'application/json' }, body: json });
    return { status: res.status, body: await res.json() };
  }

  const expect400 = (res: ApiResponse, path: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path })]);
  };

  beforeAll(async () => {
    t = await startTestWeft();
    await t.api.deploy([{ name: 'two-jobs.bpmn', xml: fixture('two-jobs.bpmn') }, { name: 'task-assignment.bpmn', xml: fixture('task-assignment.bpmn') }]);
    await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: 'unstorable' } });
    job = await eventually(async () => (await t.api.post('/api/jobs/activate', { type: 'unstorable', workerId: 'w', maxJobs: 1 })).body.jobs[0]);
    const started = await t.api.post('/api/process-instances', { processId: 'task-assignment', variables: { owner: null, region: 'x', reviewers: [], deadline: '2030-01-01T00:00:00Z', urgency: 1 } });
    task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}`)).body.items.find((x: any) => x.elementId === 'feel-task'));
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('the NUL character (U+0000)', () => {
    it('is refused in start variables, values and names, and in the business key', async () => {
      expect400(await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { note: 'a\u0000b' } }), 'variables.note');
      expect400(await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { nested: { list: ['ok', 'b\u0000'] } } }), 'variables.nested.list.1');
      expect400(await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { ['a\u0000b']: 1 } }), 'variables.a\\u0000b');
      expect400(await t.api.post('/api/process-instances', { processId: 'two-jobs', businessKey: 'k\u0000' }), 'businessKey');
      expect400(await t.api.post('/api/process-instances', { processId: 'two\u0000jobs' }), 'processId');
    });

    it('is refused in query strings', async () => {
      expect400(await t.api.get('/api/process-instances?processId=a%00b'), 'processId');
      expect400(await t.api.get('/api/tasks?assignee=a%00b'), 'assignee');
      expect400(await t.api.get('/api/tasks?candidateGroup=%00'), 'candidateGroup');
    });

    it('is refused in job activation, completion, failure and BPMN errors', async () => {
      expect400(await t.api.post('/api/jobs/activate', { type: 'unstorable\u0000', workerId: 'w' }), 'type');
      expect400(await t.api.post('/api/jobs/activate', { type: 'unstorable', workerId: 'w\u0000' }), 'workerId');
      expect400(await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { s: '\u0000' } }), 'variables.s');
      expect400(await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage: 'boom\u0000' }), 'errorMessage');
      expect400(await t.api.post(`/api/jobs/${job.key}/bpmn-error`, { errorCode: 'E\u0000' }), 'errorCode');
    });

    it('is refused in task claims and completions', async () => {
      expect400(await t.api.post(`/api/tasks/${task.id}/claim`, { assignee: 'eve\u0000' }), 'assignee');
      expect400(await t.api.post(`/api/tasks/${task.id}/complete`, { variables: { s: '\u0000' } }), 'variables.s');
    });

    it('changes nothing: the job and the task can still be worked', async () => {
      expect((await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { fine: true } })).body).toEqual({ ok: true, duplicate: false });
      expect((await t.api.post(`/api/tasks/${task.id}/claim`, { assignee: 'eve' })).status).toBe(200);
    });
  });

  describe('deep nesting', () => {
    it('refuses variables nested deeper than 128 levels, and accepts 100', async () => {
      // given
      const nest = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

      // when
      const tooDeep = await postRaw('/api/process-instances', `{"processId":"two-jobs","variables":{"jobType":"deep","v":${nest(5000)}}}`);
      const fine = await postRaw('/api/process-instances', `{"processId":"two-jobs","variables":{"jobType":"deep","v":${nest(100)}}}`);

      // then
      expect(tooDeep.status).toBe(400);
      expect(tooDeep.body.error.code).toBe('BAD_REQUEST');
      expect(tooDeep.body.error.message).toMatch(/deeper than 128/);
      expect(fine.status).toBe(201);
    });
  });

  describe('a variable named __proto__', () => {
    it('is refused rather than silently dropped', async () => {
      const res = await postRaw('/api/process-instances', '{"processId":"two-jobs","variables":{"jobType":"p","__proto__":{"polluted":1}}}');
      expect400(res, 'variables.__proto__');
    });
  });

  describe('deployments', () => {
    const deployOne = (name: string, content: string) => t.api.deploy([{ name, xml: content }]);
    const proc = (id: string, inner: string) =>
      `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d-${id}" targetNamespace="x"><bpmn:process id="${id}" isExecutable="true">${inner}</bpmn:process></bpmn:definitions>`;
    /** start → sub-process → end at every level, `depth` levels deep. */
    const nested = (id: string, depth: number) => {
      let inner = `<bpmn:startEvent id="s${depth}"/><bpmn:endEvent id="e${depth}"/><bpmn:sequenceFlow id="a${depth}" sourceRef="s${depth}" targetRef="e${depth}"/>`;
      for (let level = depth; level >= 1; level--) {
        const sub = `<bpmn:subProcess id="sp${level}">${inner}</bpmn:subProcess>`;
        inner = `<bpmn:startEvent id="s${level - 1}"/>${sub}<bpmn:endEvent id="e${level - 1}"/><bpmn:sequenceFlow id="i${level}" sourceRef="s${level - 1}" targetRef="sp${level}"/><bpmn:sequenceFlow id="o${level}" sourceRef="sp${level}" targetRef="e${level - 1}"/>`;
      }
      return proc(id, inner);
    };

    it('refuses 5,000 nested sub-processes with 422 naming the element and the limit (was a stack overflow, a 500)', async () => {
      // when
      let deep = '<bpmn:startEvent id="s"/>';
      for (let level = 5000; level >= 1; level--) deep = `<bpmn:subProcess id="sp${level}">${deep}</bpmn:subProcess>`;
      const res = await deployOne('deep.bpmn', proc('deep', deep));
      // then
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_MODEL');
      expect(res.body.error.details.problems).toEqual([
        expect.objectContaining({ file: 'deep.bpmn', elementId: 'sp101', message: expect.stringMatching(/nested 101 containers deep.*at most 100 levels/) }),
      ]);
    });

    it('deploys and runs 100 nested sub-processes to the end', async () => {
      // when
      expect((await deployOne('nested.bpmn', nested('nested-100', 100))).status).toBe(201);
      const started = await t.api.post('/api/process-instances', { processId: 'nested-100' });
      // then
      await eventually(async () => expect((await t.api.get(`/api/process-instances/${started.body.id}`)).body.state).toBe('COMPLETED'));
    });

    it('refuses a surrogate or a truncated astral character reference in XML as 400 INVALID_XML (was a 500 from jsonb)', async () => {
      for (const ref of ['&#xD800;', '&#65536;']) {
        const res = await deployOne('refs.bpmn', proc('refs', `<bpmn:startEvent id="s" name="a${ref}b"/>`));
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('INVALID_XML');
        expect(res.body.error.message).toContain(ref);
      }
    });

    it('refuses forms holding NUL, lone surrogates or deep nesting with 422 naming the field (NUL and depth were 500s)', async () => {
      const cases: [string, string][] = [
        ['{"id":"f1","type":"default","components":[{"type":"textfield","key":"a\\u0000","label":"x"}]}', 'components.0.key'],
        ['{"id":"f2","type":"default","components":[{"type":"textfield","key":"a","label":"\\udc00"}]}', 'components.0.label'],
        [`{"id":"f3","type":"default","components":[${'{"type":"group","components":['.repeat(5000)}${']}'.repeat(5000)}]}`, expect.stringMatching(/^components\.0\.components\.0\./) as unknown as string],
      ];
      for (const [form, field] of cases) {
        const res = await deployOne('bad.form', form);
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(422);
        expect(res.body.error.details.problems).toEqual([expect.objectContaining({ file: 'bad.form', field })]);
      }
    });
  });

  it('answers every refusal without hurting the server', async () => {
    expect((await fetch(`${t.weft.url}/health`)).status).toBe(200);
  });
});
