import { afterEach, describe, expect, it } from 'vitest';
import { WeftError } from '../../../engine/errors.js';
import type { DeploymentResource } from '../../../engine/service/types.js';
import { IDS, XML } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('POST /api/deployments', () => {
  let h: Harness;
  afterEach(() => h.close());

  const deployed = () => h.engine.lastCall('deploy') as [DeploymentResource[], string];

  it('deploys every file of a multipart upload', async () => {
    // given
    h = await startApp();
    const form = new FormData();
    form.append('files', new Blob([XML], { type: 'application/xml' }), 'order.bpmn');
    form.append('files', new Blob(['<b/>'], { type: 'application/xml' }), 'billing.bpmn');
    // when
    const res = await h.api('/api/deployments', { method: 'POST', body: form });
    // then
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      id: IDS.deployment,
      processes: [{ key: IDS.definition, processId: 'order', version: 1, name: 'Order' }],
      warnings: [],
    });
    const [resources, actor] = deployed();
    expect(resources.map((r) => [r.name, r.content.toString()])).toEqual([
      ['order.bpmn', XML],
      ['billing.bpmn', '<b/>'],
    ]);
    expect(actor).toBe('admin');
  });

  it('deploys a raw application/xml body named by ?name=', async () => {
    h = await startApp();
    const res = await h.api('/api/deployments?name=order.bpmn', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: XML });
    expect(res.status).toBe(201);
    const [resources] = deployed();
    expect(resources).toHaveLength(1);
    expect(resources[0].name).toBe('order.bpmn');
    expect(resources[0].content.toString()).toBe(XML);
  });

  it('takes the name of a text/xml body from X-Resource-Name, else diagram.bpmn', async () => {
    h = await startApp();
    await h.api('/api/deployments', { method: 'POST', headers: { 'content-type': 'text/xml', 'x-resource-name': 'a.bpmn' }, body: XML });
    expect(deployed()[0][0].name).toBe('a.bpmn');
    await h.api('/api/deployments', { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: XML });
    expect(deployed()[0][0].name).toBe('diagram.bpmn');
  });

  it('answers 400 when no files are sent', async () => {
    h = await startApp();
    const form = new FormData();
    form.append('comment', 'no files here');
    const multipart = await h.api('/api/deployments', { method: 'POST', body: form });
    const empty = await h.api('/api/deployments', { method: 'POST' });
    const emptyXml = await h.api('/api/deployments', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '' });
    for (const res of [multipart, empty, emptyXml]) {
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('BAD_REQUEST');
    }
    expect(h.engine.calls).toHaveLength(0);
  });

  it('answers 400 for files in another field', async () => {
    h = await startApp();
    const form = new FormData();
    form.append('file', new Blob([XML]), 'order.bpmn');
    const res = await h.api('/api/deployments', { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("'files'");
  });

  it('answers 415 for other content types', async () => {
    h = await startApp();
    const res = await h.api('/api/deployments', { method: 'POST', json: { xml: XML } });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for an uploaded file over 5 MB', async () => {
    // given
    h = await startApp();
    const form = new FormData();
    form.append('files', new Blob([Buffer.alloc(5 * 1024 * 1024 + 1, 'a')]), 'huge.bpmn');
    // when
    const res = await h.api('/api/deployments', { method: 'POST', body: form });
    // then
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(h.engine.calls).toHaveLength(0);
  });

  it('answers 413 for a raw XML body over 5 MB', async () => {
    h = await startApp();
    const res = await h.api('/api/deployments', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: Buffer.alloc(5 * 1024 * 1024 + 1, 'a') });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 for a malformed multipart body', async () => {
    h = await startApp();
    const res = await h.api('/api/deployments', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    expect(res.status).toBe(400);
  });

  it('maps an INVALID_MODEL WeftError to 422 with the problems as details', async () => {
    // given
    h = await startApp();
    const problems = [{ file: 'order.bpmn', elementId: 'charge', message: 'service task needs a job type' }];
    h.engine.throwOn('deploy', new WeftError('INVALID_MODEL', 'order.bpmn is not deployable', problems));
    // when
    const res = await h.api('/api/deployments', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: XML });
    // then
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'INVALID_MODEL', message: 'order.bpmn is not deployable', details: problems } });
  });
});
