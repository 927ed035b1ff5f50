import { afterEach, describe, expect, it } from 'vitest';
import { audit, IDS, instance } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/process-instances', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('starts an instance and answers 201 with its summary', async () => {
    // given
    h = await startApp();
    const request = { processId: 'order', version: 2, variables: { amount: 10 }, businessKey: 'PO-1' };
    // when
    const res = await h.api('/api/process-instances', { method: 'POST', json: request });
    // then
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual(instance);
    expect(h.engine.lastCall('startInstance')).toEqual([request, 'admin']);
  });

  it('answers 400 with details when processId is missing', async () => {
    h = await startApp();
    const res = await h.api('/api/process-instances', { method: 'POST', json: { variables: {} } });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.details).toEqual([{ path: 'processId', message: expect.any(String) }]);
    expect(h.engine.calls).toHaveLength(0);
  });

  it('answers 400 when variables are not a JSON object', async () => {
    h = await startApp();
    for (const variables of [[1, 2], 'x', null]) {
      const res = await h.api('/api/process-instances', { method: 'POST', json: { processId: 'order', variables } });
      expect(res.status).toBe(400);
      expect((await res.json()).error.details).toEqual([{ path: 'variables', message: 'must be a JSON object' }]);
    }
  });

  it('lists instances with filters and paging defaults', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api('/api/process-instances?processId=order&state=ACTIVE');
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [{ ...instance, openIncidents: 1, parentInstanceId: null }], total: 1, limit: 50, offset: 0 });
    expect(h.engine.lastCall('listInstances')).toEqual([{ processId: 'order', state: 'ACTIVE', limit: 50, offset: 0 }]);
  });

  it('passes limit and offset, and refuses a limit over 500 or a bad state', async () => {
    h = await startApp();
    const ok = await h.api('/api/process-instances?limit=500&offset=20');
    expect(ok.status).toBe(200);
    expect(h.engine.lastCall('listInstances')).toEqual([{ limit: 500, offset: 20 }]);
    const tooMany = await h.api('/api/process-instances?limit=501');
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.details[0].path).toBe('limit');
    const badState = await h.api('/api/process-instances?state=RUNNING');
    expect(badState.status).toBe(400);
  });

  it('reads the whole search from the query: a variable as name and JSON value, yes/no, instants, a sort', async () => {
    // given
    h = await startApp();
    const query = 'version=2&hasIncident=false&businessKey=PO-1&variableName=customer&variableValue=%7B%22tier%22%3A%22gold%22%7D&startedAfter=2026-12-01T00:00:00Z&endedBefore=2026-12-02T10:00:00%2B01:00&sortBy=endedAt&sortOrder=asc';
    // when
    const res = await h.api(`/api/process-instances?${query}`);
    // then
    expect(res.status).toBe(200);
    expect(h.engine.lastCall('listInstances')).toEqual([
      {
        version: 2,
        hasIncident: false,
        businessKey: 'PO-1',
        variable: { name: 'customer', value: { tier: 'gold' } },
        startedAfter: new Date('2026-12-01T00:00:00Z'),
        endedBefore: new Date('2026-12-02T09:00:00Z'),
        sortBy: 'endedAt',
        sortOrder: 'asc',
        limit: 50,
        offset: 0,
      },
    ]);
  });

  it('refuses a search field it does not know, and a yes/no that is neither, naming them', async () => {
    h = await startApp();
    for (const [query, field] of [['processID=order', ''], ['hasIncident=yes', 'hasIncident'], ['sortOrder=up', 'sortOrder'], ['variableValue=1', 'variableName']]) {
      const res = await h.api(`/api/process-instances?${query}`);
      expect(res.status, query).toBe(400);
      const { error } = await res.json();
      expect(JSON.stringify(error.details), query).toContain(field || 'processID');
    }
    expect(h.engine.calls).toHaveLength(0);
  });

  it('changes variables with a reason, as the actor', async () => {
    h = await startApp();
    const res = await h.api(`/api/process-instances/${IDS.instance}/variables`, { method: 'PUT', json: { variables: { amount: 5 }, reason: 'typo' } });
    expect(res.status).toBe(200);
    expect(h.engine.lastCall('updateVariables')).toEqual([IDS.instance, { variables: { amount: 5 }, reason: 'typo' }, 'admin']);
  });

  it('returns one instance in detail', async () => {
    h = await startApp();
    const res = await h.api(`/api/process-instances/${IDS.instance}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ id: IDS.instance, definitionKey: IDS.definition, variables: { amount: 10 } });
    expect(body.incidents).toHaveLength(1);
  });

  it('cancels an instance as the actor', async () => {
    h = await startApp();
    const res = await h.api(`/api/process-instances/${IDS.instance}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await res.json()).state).toBe('CANCELED');
    expect(h.engine.lastCall('cancelInstance')).toEqual([IDS.instance, 'admin']);
  });

  it('returns the audit trail as {items}', async () => {
    h = await startApp();
    const res = await h.api(`/api/process-instances/${IDS.instance}/audit`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [audit] });
  });

  it('answers 404 for a malformed instance id', async () => {
    h = await startApp();
    for (const path of ['/api/process-instances/not-a-uuid', '/api/process-instances/123/audit']) {
      const res = await h.api(path);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('INSTANCE_NOT_FOUND');
    }
    expect(h.engine.calls).toHaveLength(0);
  });
});
