import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type Harness } from './harness.js';

describe('GET /health', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers 200 without a token when Postgres and Redis are up', async () => {
    // given
    h = await startApp();
    // when
    const res = await fetch(`${h.base}/health`);
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', postgres: true, redis: true });
  });

  it('answers 503 naming what is down', async () => {
    // given
    h = await startApp();
    h.engine.healthy = { postgres: true, redis: false };
    // when
    const res = await fetch(`${h.base}/health`);
    // then
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', postgres: true, redis: false, down: ['redis'] });
  });

  it('answers 503 when the check itself throws', async () => {
    h = await startApp();
    h.engine.throwOn('health', new Error('pool exhausted'));
    const res = await fetch(`${h.base}/health`);
    expect(res.status).toBe(503);
    expect((await res.json()).status).toBe('degraded');
  });
});
