import { afterEach, describe, expect, it } from 'vitest';
import { decision, DMN_XML } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/decisions', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('lists deployed decisions as {items}', async () => {
    h = await startApp();
    const res = await h.api('/api/decisions');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [decision] });
  });

  it('evaluates a decision with the variables and version given', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api('/api/decisions/discount/evaluate', { method: 'POST', json: { variables: { amount: 5 }, version: 2 } });
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ decisionId: 'discount', version: 1, result: 0.1 });
    expect(h.engine.lastCall('evaluateDecision')).toEqual(['discount', { variables: { amount: 5 }, version: 2 }, 'admin']);
  });

  it('evaluates with no variables when the body is empty', async () => {
    h = await startApp();
    const res = await h.api('/api/decisions/discount/evaluate', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(h.engine.lastCall('evaluateDecision')).toEqual(['discount', { variables: {}, version: undefined }, 'admin']);
  });

  it('refuses variables that are not an object and a version that is not a positive integer, with a 400 naming each', async () => {
    h = await startApp();
    const res = await h.api('/api/decisions/discount/evaluate', { method: 'POST', json: { variables: [1], version: 0 } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(['variables', 'version']);
    expect(h.engine.calls).toHaveLength(0);
  });

  it('serves the .dmn file of a decision as an application/xml download', async () => {
    h = await startApp();
    const res = await h.api('/api/decisions/discount/xml?version=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="discount.dmn"');
    expect(await res.text()).toBe(DMN_XML);
    expect(h.engine.lastCall('decisionXml')).toEqual(['discount', 1]);
  });
});
