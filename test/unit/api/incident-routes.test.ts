import { afterEach, describe, expect, it } from 'vitest';
import { IDS, incident } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/incidents', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('lists incidents filtered by instance and state', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api(`/api/incidents?processInstanceId=${IDS.instance}&state=OPEN`);
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [incident] });
    expect(h.engine.lastCall('listIncidents')).toEqual([{ processInstanceId: IDS.instance, state: 'OPEN' }]);
  });

  it('resolves an incident', async () => {
    h = await startApp();
    const res = await h.api(`/api/incidents/${IDS.incident}/resolve`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await res.json()).state).toBe('RESOLVED');
    expect(h.engine.lastCall('resolveIncident')).toEqual([IDS.incident, 'admin']);
  });

  it('answers 404 for a malformed incident id', async () => {
    h = await startApp();
    const res = await h.api('/api/incidents/x/resolve', { method: 'POST' });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('INCIDENT_NOT_FOUND');
  });
});
