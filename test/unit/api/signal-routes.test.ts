import { afterEach, describe, expect, it } from 'vitest';
import { IDS } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/signals', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('broadcasts a signal with its variables and answers what it reached', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api('/api/signals', { method: 'POST', json: { name: ' stop-all ', variables: { reason: 'recall' } } });
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signalKey: IDS.signal, delivered: 2, started: [{ processInstanceId: IDS.instance, processId: 'order' }] });
    expect(h.engine.lastCall('broadcastSignal')).toEqual([{ name: 'stop-all', variables: { reason: 'recall' } }, 'admin']);
  });

  it.each([
    [{}, 'name'],
    [{ name: '  ' }, 'name'],
    [{ name: 7 }, 'name'],
    [{ name: 'n'.repeat(801) }, 'name'],
    [{ name: 'x', variables: [1] }, 'variables'],
    [{ name: 'x', variables: null }, 'variables'],
    // a field it does not know is refused, not ignored
    [{ name: 'x', correlationKey: 'k-1' }, ''],
  ])('refuses %j with a 400 naming the field', async (body, field) => {
    h = await startApp();
    const res = await h.api('/api/signals', { method: 'POST', json: body });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(h.engine.calls).toEqual([]);
  });
});
