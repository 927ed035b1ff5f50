/**
 * Deployments through the REST API: both upload forms, versioning, which
 * version an instance runs on, and every way a deployment can be refused —
 * always as a 4xx with a stable code, never a 500.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type ApiResponse, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');
const modelFixture = (name: string) => readFileSync(new URL(`../fixtures/model/${name}`, import.meta.url), 'utf8');

const v1 = fixture('versioned-v1.bpmn');
const v2 = fixture('versioned-v2.bpmn');
/** The same diagram under another process id, so each test owns its version history. */
const withId = (xml: string, processId: string) => xml.replace(/"versioned"/g, `"${processId}"`);

describe('deployments', () => {
  let t: TestWeft;

  /** POST /api/deployments with a raw XML body. */
  async function deployRaw(xml: string, query = '', contentType = 'application/xml'): Promise<ApiResponse> {
    const res = await fetch(`${t.weft.url}/api/deployments${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': contentType },
      body: xml,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body };
  }

  const deployOne = (name: string, xml: string) => t.api.deploy([{ name, xml }]);

  /** Completes the instance's review task; returns the job type its next service task asked for (from the audit trail). */
  async function jobTypeAfterReview(instanceId: string): Promise<string> {
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${instanceId}&state=CREATED`)).body.items[0]);
    expect((await t.api.post(`/api/tasks/${task.id}/complete`, {})).status).toBe(200);
    const created = await eventually(async () => {
      const items = (await t.api.get(`/api/process-instances/${instanceId}/audit`)).body.items as any[];
      return items.find((e) => e.type === 'JOB_CREATED');
    });
    return created.payload.jobType;
  }

  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('uploading', () => {
    it('deploys a diagram sent as multipart', async () => {
      // when
      const res = await deployOne('versioned.bpmn', v1);

      // then
      expect(res.status).toBe(201);
      expect(res.body.id).toEqual(expect.any(String));
      expect(res.body.processes).toEqual([{ key: expect.any(String), processId: 'versioned', version: 1, name: 'Versioned, first version' }]);
    });

    it('deploys a diagram sent as raw application/xml, named by ?name=', async () => {
      // given
      const xml = fixture('versioned-v1.bpmn').replace(/versioned/g, 'raw-upload');

      // when
      const res = await deployRaw(xml, '?name=raw-upload.bpmn');

      // then
      expect(res.status).toBe(201);
      expect(res.body.processes).toEqual([expect.objectContaining({ processId: 'raw-upload', version: 1 })]);
      const listed = (await t.api.get('/api/process-definitions')).body.items.find((d: any) => d.processId === 'raw-upload');
      expect(listed).toMatchObject({ resourceName: 'raw-upload.bpmn', deploymentId: res.body.id });
    });

    it('lists definitions and serves the XML each was deployed from', async () => {
      // given
      const deployed = (await deployOne('versioned.bpmn', v1)).body.processes[0];

      // when
      const list = await t.api.get('/api/process-definitions');
      const xml = await fetch(`${t.weft.url}/api/process-definitions/${deployed.key}/xml`, { headers: { authorization: `Bearer ${t.config.adminToken}` } });

      // then
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual(
        expect.arrayContaining([
          {
            key: deployed.key,
            processId: 'versioned',
            version: 1,
            name: 'Versioned, first version',
            deploymentId: expect.any(String),
            resourceName: 'versioned.bpmn',
            createdAt: expect.any(String),
          },
        ]),
      );
      expect(xml.status).toBe(200);
      expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(await xml.text()).toBe(v1);
    });

    it('answers 404 for the XML of an unknown definition key', async () => {
      const res = await t.api.get('/api/process-definitions/00000000-0000-4000-8000-000000000000/xml');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('PROCESS_NOT_FOUND');
    });
  });

  describe('versions', () => {
    it('keeps the version when the same XML is deployed again, and makes version 2 of changed XML', async () => {
      // given
      const first = (await deployOne('same.bpmn', withId(v1, 'same'))).body.processes[0];

      // when
      const again = await deployOne('same.bpmn', withId(v1, 'same'));
      const raw = await deployRaw(withId(v1, 'same'));
      const changed = await deployOne('same.bpmn', withId(v2, 'same'));

      // then
      expect(again.status).toBe(201);
      expect(again.body.processes[0]).toEqual(first);
      expect(raw.body.processes[0]).toEqual(first);
      expect(changed.status).toBe(201);
      expect(changed.body.processes[0]).toMatchObject({ processId: 'same', version: 2, name: 'Versioned, second version' });
      expect(changed.body.processes[0].key).not.toBe(first.key);
      const versions = (await t.api.get('/api/process-definitions')).body.items.filter((d: any) => d.processId === 'same').map((d: any) => d.version);
      expect(versions.sort()).toEqual([1, 2]);
    });

    it('compares with the latest version only: re-deploying version 1 after version 2 makes version 3', async () => {
      // given
      await deployOne('history.bpmn', withId(v1, 'history'));
      await deployOne('history.bpmn', withId(v2, 'history'));

      // when
      const res = await deployOne('history.bpmn', withId(v1, 'history'));

      // then
      expect(res.body.processes[0]).toMatchObject({ processId: 'history', version: 3, name: 'Versioned, first version' });
    });

    it('starts instances on the latest version, or on the version asked for', async () => {
      // given
      await deployOne('choose.bpmn', withId(v1, 'choose'));
      await deployOne('choose.bpmn', withId(v2, 'choose'));

      // when
      const latest = await t.api.post('/api/process-instances', { processId: 'choose' });
      const named = await t.api.post('/api/process-instances', { processId: 'choose', version: 1 });

      // then
      expect(latest.status).toBe(201);
      expect(latest.body).toMatchObject({ processId: 'choose', version: 2, state: 'ACTIVE' });
      expect(named.status).toBe(201);
      expect(named.body).toMatchObject({ processId: 'choose', version: 1, state: 'ACTIVE' });
      expect(await jobTypeAfterReview(latest.body.id)).toBe('v2-path');
      expect(await jobTypeAfterReview(named.body.id)).toBe('v1-path');
    });

    it('keeps a running instance on its version when a newer one is deployed', async () => {
      // given: a fresh process id, so "latest" is version 1 when the instance starts
      const first = withId(v1, 'pinned');
      const second = withId(v2, 'pinned');
      expect((await deployOne('pinned.bpmn', first)).body.processes[0].version).toBe(1);
      const instance = (await t.api.post('/api/process-instances', { processId: 'pinned' })).body;
      expect(instance.version).toBe(1);

      // when: version 2 arrives while the instance waits at the user task
      expect((await deployOne('pinned.bpmn', second)).body.processes[0].version).toBe(2);
      const jobType = await jobTypeAfterReview(instance.id);

      // then: the instance follows version 1's path
      expect(jobType).toBe('v1-path');
      const detail = (await t.api.get(`/api/process-instances/${instance.id}`)).body;
      expect(detail).toMatchObject({ version: 1, definitionKey: expect.any(String) });
      const v1Key = (await t.api.get('/api/process-definitions')).body.items.find((d: any) => d.processId === 'pinned' && d.version === 1).key;
      expect(detail.definitionKey).toBe(v1Key);

      // and a new instance takes version 2's path
      const newer = (await t.api.post('/api/process-instances', { processId: 'pinned' })).body;
      expect(await jobTypeAfterReview(newer.id)).toBe('v2-path');
    });
  });

  describe('refused deployments', () => {
    it('answers 400 INVALID_XML for malformed XML', async () => {
      const res = await deployOne('broken.bpmn', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p">');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_XML');
    });

    it('answers 400 INVALID_XML for malformed XML sent raw', async () => {
      const res = await deployRaw('<<<not xml at all');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_XML');
    });

    it('answers 400 INVALID_XML for the NUL character, raw or as a character reference', async () => {
      // regression: the name "a&#0;b" reached Postgres, which cannot store U+0000 (a 500)
      const reference = withId(v1, 'nul-ref').replace('name="Review"', 'name="a&#0;b"');
      const hexReference = withId(v1, 'nul-hex').replace('name="Review"', 'name="a&#x00;b"');
      const raw = withId(v1, 'nul-raw').replace('name="Review"', 'name="a\u0000b"');
      for (const res of [await deployOne('ref.bpmn', reference), await deployOne('hex.bpmn', hexReference), await deployRaw(raw)]) {
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('INVALID_XML');
        expect(res.body.error.message).toMatch(/NUL/);
      }
    });

    it('answers 400 NOT_BPMN for well-formed XML that is not BPMN', async () => {
      const res = await deployOne('pom.xml', '<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion></project>');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('NOT_BPMN');
    });

    it('refuses DOCTYPE and ENTITY declarations (billion laughs) with 400 and stays healthy', async () => {
      // given
      const laughs = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE lolz [',
        '  <!ENTITY lol "lol">',
        ...Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
        ']>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="lol">&lol9;</bpmn:process></bpmn:definitions>',
      ].join('\n');

      // when
      const multipart = await deployOne('lol.bpmn', laughs);
      const raw = await deployRaw(laughs);

      // then
      for (const res of [multipart, raw]) {
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('INVALID_XML');
        expect(res.body.error.message).toMatch(/DOCTYPE/);
      }
      const health = await fetch(`${t.weft.url}/health`);
      expect(health.status).toBe(200);
      expect((await deployOne('versioned.bpmn', v1)).status).toBe(201);
    });

    it('answers 413 for an upload over 5 MB, multipart or raw', async () => {
      // given: a valid diagram padded past the limit with a comment
      const big = v1.replace('<bpmn:process', `<!-- ${'x'.repeat(5 * 1024 * 1024 + 10)} -->\n<bpmn:process`);

      // when
      const multipart = await deployOne('big.bpmn', big);
      const raw = await deployRaw(big);

      // then
      for (const res of [multipart, raw]) {
        expect(res.status).toBe(413);
        expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('answers 400 for an empty body and 415 for a body that is neither multipart nor XML', async () => {
      const empty = await deployRaw('');
      const text = await deployRaw(v1, '', 'text/plain');
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('BAD_REQUEST');
      expect(text.status).toBe(415);
      expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 422 listing every unsupported element', async () => {
      const res = await deployOne('unsupported.bpmn', fixture('unsupported-elements.bpmn'));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_MODEL');
      const ids = (res.body.error.details.problems as any[]).map((p) => p.elementId);
      expect(ids).toEqual(['wait-until-ready', 'approval-obsolete', 'merge-somehow']);
      for (const problem of res.body.error.details.problems) expect(problem.file).toBe('unsupported.bpmn');
    });

    it('answers 422 naming the element and field of a service task without a job type', async () => {
      const res = await deployOne('no-type.bpmn', fixture('service-task-without-type.bpmn'));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_MODEL');
      expect(res.body.error.details.problems).toEqual([
        expect.objectContaining({ file: 'no-type.bpmn', elementId: 'charge-card', field: 'zeebe:taskDefinition.type' }),
      ]);
      expect(res.body.error.message).toContain('charge-card');
    });

    it('answers 422 for a condition that is not valid FEEL', async () => {
      const res = await deployOne('broken-feel.bpmn', fixture('broken-feel-condition.bpmn'));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_MODEL');
      expect(res.body.error.details.problems).toEqual([expect.objectContaining({ elementId: 'is-big', field: 'conditionExpression' })]);
    });

    it('answers 422 for a process without a start event', async () => {
      const res = await deployOne('no-start.bpmn', fixture('no-start-event.bpmn'));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_MODEL');
      expect(res.body.error.details.problems).toEqual([expect.objectContaining({ elementId: 'no-start', message: expect.stringMatching(/start event/) })]);
    });

    it('answers 422 naming an unsupported element once, not what it leaves behind', async () => {
      for (const file of ['unsupported-default-target.bpmn', 'unsupported-activity-with-boundary.bpmn']) {
        const res = await deployOne(file, modelFixture(file));
        expect(res.status, file).toBe(422);
        expect(res.body.error.code).toBe('INVALID_MODEL');
        expect(res.body.error.details.problems, file).toEqual([
          { file, elementId: 'rate', elementKind: 'bpmn:BusinessRuleTask', field: 'zeebe:calledDecision.decisionId', message: 'Business rule task "rate" needs a DMN decision to evaluate (zeebe:calledDecision decisionId and resultVariable) or a job type for a worker (zeebe:taskDefinition type)' },
        ]);
      }
    });

    it('answers 422 naming the processes when none is executable, with what else stands in the way', async () => {
      const res = await deployOne('none-executable.bpmn', modelFixture('none-executable.bpmn'));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('INVALID_MODEL');
      expect(res.body.error.details.problems.map((p: any) => p.elementId)).toEqual(['defs', 'charge']);
      expect(res.body.error.details.problems[0].message).toContain('set isExecutable="true" on "orders"');
    });

    it('answers 400 INVALID_XML with the line and column where a truncated file ends', async () => {
      // given the diagram cut after its fourth line, with CRLF line ends
      const lines = v1.replace(/\r?\n/g, '\r\n').split('\r\n');
      const truncated = `${lines.slice(0, 4).join('\r\n')}\r\n`;
      // when
      const res = await deployOne('truncated.bpmn', truncated);
      // then
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_XML');
      expect(res.body.error.message).toContain('unexpected end of file (line 5, column 1)');
    });

    it('stores nothing from a refused deployment', async () => {
      const ids = (await t.api.get('/api/process-definitions')).body.items.map((d: any) => d.processId);
      expect(ids).not.toEqual(expect.arrayContaining(['unsupported']));
      for (const refused of ['unsupported', 'no-job-type', 'broken-feel', 'no-start', 'lol', 'rating', 'orders', 'customer']) expect(ids).not.toContain(refused);
    });
  });

  describe('diagrams as the modeler writes them', () => {
    it('deploys literal mapping sources and a prompt over several lines, and hands both to the job as written', async () => {
      // given
      expect((await deployOne('modeler-prompt.bpmn', fixture('modeler-prompt.bpmn'))).status).toBe(201);
      const jobType = `prompt-${randomUUID().slice(0, 8)}`;
      const started = await t.api.post('/api/process-instances', { processId: 'modeler-prompt', variables: { jobType, text: 'the ticket' } });
      expect(started.status).toBe(201);

      // when
      const job = await eventually(async () => (await t.api.post('/api/jobs/activate', { type: jobType, workerId: 'it', maxJobs: 1 })).body.jobs[0]);

      // then
      expect(job.variables).toMatchObject({
        authentication: { type: 'noAuth' },
        apiKey: '{{secrets.API_KEY}}',
        url: 'https://example.com/v1/chat',
        body: { prompt: 'You are a helpful\nassistant. Summarise the ticket' },
      });
    });
  });

  describe('starting instances', () => {
    it('answers 404 for an unknown process', async () => {
      const res = await t.api.post('/api/process-instances', { processId: 'no-such-process' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('PROCESS_NOT_FOUND');
    });

    it('answers 404 for a version that was never deployed', async () => {
      await deployOne('missing-version.bpmn', withId(v1, 'missing-version'));
      const res = await t.api.post('/api/process-instances', { processId: 'missing-version', version: 99 });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('PROCESS_NOT_FOUND');
    });

    it.each([['an array', [1, 2]], ['a string', 'amount=5'], ['null', null], ['a number', 7]])('answers 400 when variables are %s', async (_what, variables) => {
      const res = await t.api.post('/api/process-instances', { processId: 'versioned', variables });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'variables' })]);
    });
  });
});
