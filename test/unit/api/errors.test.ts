import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { KnexTimeoutError } from 'knex';
import { startApp, type Harness } from './harness.js';
import { freePort } from '../../support/private-postgres.js';

describe('error responses', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers 400 "Malformed JSON body" for broken JSON', async () => {
    h = await startApp();
    const res = await h.api('/api/process-instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"processId": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'Malformed JSON body' } });
  });

  it('answers 413 for a JSON body over 1 MB', async () => {
    h = await startApp();
    const res = await h.api('/api/process-instances', { method: 'POST', json: { processId: 'p', variables: { big: 'x'.repeat(1024 * 1024) } } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 404 JSON for an unknown /api route', async () => {
    h = await startApp();
    const res = await h.api('/api/nothing/here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /api/nothing/here' } });
  });

  it('answers 404 JSON for an unknown route outside /api, without a token', async () => {
    h = await startApp();
    const res = await fetch(`${h.base}/nope`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers 500 with a generic message for an unexpected Error, and logs it', async () => {
    // given
    h = await startApp();
    h.engine.throwOn('listDefinitions', new Error('connection terminated: secret host db.internal'));
    // when
    const res = await h.api('/api/process-definitions');
    // then
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    expect(text).not.toContain('secret');
    expect(text).not.toContain('at ');
    expect(h.logs.join('')).toContain('connection terminated');
  });

  describe('Postgres or Redis unavailable: 503 with Retry-After, not 500', () => {
    /** What pg really throws when nothing listens on the port (an AggregateError of ECONNREFUSED on Node 20). */
    async function refusedConnection(): Promise<unknown> {
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/weft` });
      return client.connect().then(() => new Error('connected?'), (error: unknown) => error);
    }
    function serverShuttingDown(): unknown {
      const error = new pg.DatabaseError('terminating connection due to administrator command', 100, 'error');
      error.code = '57P01';
      error.severity = 'FATAL';
      return error;
    }
    const cases: [string, () => unknown | Promise<unknown>, string][] = [
      ['connection refused', refusedConnection, 'A backing service'],
      ['the server shutting down (57P01)', serverShuttingDown, 'Postgres'],
      ['a connection terminated mid-query', () => new Error('Connection terminated unexpectedly'), 'Postgres'],
      // knex puts the SQL in front of the driver's message
      ['a knex query whose connection was terminated', () => new Error('select "key" from "process_definitions" where "process_id" = $1 - Connection terminated unexpectedly'), 'Postgres'],
      ['no pool connection in time', () => new KnexTimeoutError('Knex: Timeout acquiring a connection. The pool is probably full.'), 'Postgres'],
      ['Redis gone', () => new Error('Connection is closed.'), 'Redis'],
    ];
    for (const [what, make, service] of cases) {
      it(`answers 503 SERVICE_UNAVAILABLE with Retry-After for ${what}`, async () => {
        // given
        h = await startApp();
        h.engine.throwOn('listDefinitions', await make());
        // when
        const res = await h.api('/api/process-definitions');
        // then
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('2');
        expect(await res.json()).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: `${service} is unavailable; try again shortly` } });
      });
    }

    it('still answers 500 for an error that only mentions a connection', async () => {
      h = await startApp();
      h.engine.throwOn('listDefinitions', new pg.DatabaseError('duplicate key value violates unique constraint', 100, 'error'));
      const res = await h.api('/api/process-definitions');
      expect(res.status).toBe(500);
      expect(res.headers.get('retry-after')).toBeNull();
    });
  });
});
