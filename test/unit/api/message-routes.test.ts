import { afterEach, describe, expect, it } from 'vitest';
import { IDS } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/messages and triggering a wait', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('publishes a message with what it carries; a number correlation key is its decimal text', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api('/api/messages', { method: 'POST', json: { name: ' customer-reply ', correlationKey: 345, variables: { paid: true }, timeToLiveMs: 60_000, messageId: 'r-1' } });
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ messageKey: IDS.message, dropped: true });
    expect(h.engine.lastCall('publishMessage')).toEqual([{ name: 'customer-reply', correlationKey: '345', variables: { paid: true }, timeToLiveMs: 60_000, messageId: 'r-1' }, 'admin']);
  });

  it.each([
    [{}, 'name'],
    [{ name: '  ' }, 'name'],
    [{ name: 'x', timeToLiveMs: -1 }, 'timeToLiveMs'],
    [{ name: 'x', timeToLiveMs: 1.5 }, 'timeToLiveMs'],
    [{ name: 'x', timeToLiveMs: 31 * 24 * 3600_000 }, 'timeToLiveMs'],
    [{ name: 'x', timeToLiveMs: '1000' }, 'timeToLiveMs'],
    [{ name: 'x', variables: [1] }, 'variables'],
    [{ name: 'x', variables: null }, 'variables'],
    [{ name: 'x', correlationKey: { id: 1 } }, 'correlationKey'],
    [{ name: 'x', messageId: '' }, 'messageId'],
    // name, key and id must fit one index entry together: 800 bytes each
    [{ name: 'n'.repeat(801) }, 'name'],
    [{ name: 'x', correlationKey: 'é'.repeat(401) }, 'correlationKey'],
    [{ name: 'x', messageId: 'i'.repeat(801) }, 'messageId'],
    // Camunda's field name: refused by name rather than published with no time to live
    [{ name: 'x', timeToLive: 1000 }, ''],
  ])('refuses %j with a 400 naming the field', async (body, field) => {
    h = await startApp();
    const res = await h.api('/api/messages', { method: 'POST', json: body });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(h.engine.calls).toEqual([]);
  });

  it('triggers a waiting element by its id', async () => {
    h = await startApp();
    const res = await h.api(`/api/process-instances/${IDS.instance}/trigger`, { method: 'POST', json: { elementId: 'paper-form', variables: { signed: true } } });
    expect(res.status).toBe(200);
    expect(h.engine.lastCall('triggerElement')).toEqual([IDS.instance, { elementId: 'paper-form', variables: { signed: true } }, 'admin']);
    const bad = await h.api(`/api/process-instances/${IDS.instance}/trigger`, { method: 'POST', json: {} });
    expect(bad.status).toBe(400);
  });
});
