import { afterEach, describe, expect, it } from 'vitest';
import { definition, IDS, XML } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/process-definitions', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('lists definitions as {items}', async () => {
    h = await startApp();
    const res = await h.api('/api/process-definitions');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [definition] });
  });

  it('serves the XML of one definition as an application/xml download', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api(`/api/process-definitions/${IDS.definition}/xml`);
    // then
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${IDS.definition}.bpmn"`);
    expect(await res.text()).toBe(XML);
    expect(h.engine.lastCall('definitionXml')).toEqual([IDS.definition]);
  });

  it('answers 404 for a key that is not a UUID, without asking the engine', async () => {
    h = await startApp();
    const res = await h.api('/api/process-definitions/order:1/xml');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('PROCESS_NOT_FOUND');
    expect(h.engine.calls).toHaveLength(0);
  });
});
