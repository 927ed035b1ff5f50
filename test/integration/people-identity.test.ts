/**
 * People: users and tokens through the admin API, browser sign-in with its
 * cookie, CSRF and rate limit, sign-out, and which credentials /api accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { addUser, bearer, signIn } from '../fixtures/people/client.js';
import { Sessions } from '../../engine/features/people/sessions.js';

describe('people: identity, sign-in and tokens', () => {
  let t: TestWeft;
  let base: string;

  beforeAll(async () => {
    t = await startTestWeft();
    base = t.weft.url!;
    await addUser(t.api, 'alice', 'user', ['finance', 'managers']);
    await addUser(t.api, 'bob', 'user', ['finance']);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const signInRaw = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), redirect: 'manual' });

  describe('the admin API', () => {
    it('creates users with role and groups and never shows a password hash', async () => {
      // when
      const created = await t.api.post('/api/users', { name: 'dora', role: 'operator', groups: ['ops'], password: 'dora-password' });
      // then
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'dora', role: 'operator', groups: ['ops'], hasPassword: true, disabled: false });
      expect(JSON.stringify(created.body)).not.toMatch(/scrypt|password_hash/);
      const list = await t.api.get('/api/users');
      expect(list.body.items.map((u: any) => u.name)).toEqual(['alice', 'bob', 'dora']);
    });

    it('refuses unknown roles, bad names, short passwords and duplicates with 400', async () => {
      expect((await t.api.post('/api/users', { name: 'x1', role: 'king' })).status).toBe(400);
      expect((await t.api.post('/api/users', { name: 'has space' })).status).toBe(400);
      expect((await t.api.post('/api/users', { name: 'x2', password: 'short' })).status).toBe(400);
      expect((await t.api.post('/api/users', { name: 'alice', password: 'whatever-long' })).status).toBe(400);
    });

    it('answers 400 to all but one of concurrent requests adding the same user (found by the API fuzz: was a 500)', async () => {
      // when ten requests add one name at once
      const statuses = await Promise.all(Array.from({ length: 10 }, () => t.api.post('/api/users', { name: 'twin' }).then((r) => r.status)));
      // then one added it and the others were told it exists
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 400)).toHaveLength(9);
    });

    it('is for admins only', async () => {
      const alice = await signIn(base, 'alice', 'alice-password');
      const res = await alice.get('/api/users');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });
  });

  describe('sign-in', () => {
    it('sets an httpOnly SameSite=Lax session cookie and acts as user:<name>', async () => {
      // when
      const res = await signInRaw({ username: 'alice', password: 'alice-password' });
      // then
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie()[0];
      expect(cookie).toMatch(/^weft_session=[\w-]{40,};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/); // plain http, no trusted proxy
      const body = await res.json();
      expect(body).toMatchObject({ user: 'alice', role: 'user', groups: ['finance', 'managers'], csrfToken: expect.any(String) });
      const me = await fetch(`${base}/api/me`, { headers: { cookie: cookie.split(';')[0] } });
      expect(await me.json()).toEqual({ id: 'user:alice', user: 'alice', assignee: 'alice', roles: ['user'], groups: ['finance', 'managers'], csrfToken: body.csrfToken });
    });

    it('says the same for a wrong password and an unknown user', async () => {
      const wrongPassword = await signInRaw({ username: 'bob', password: 'nope-nope' });
      const unknownUser = await signInRaw({ username: 'nobody', password: 'bob-password' });
      expect(wrongPassword.status).toBe(401);
      expect(unknownUser.status).toBe(401);
      const [a, b] = [await wrongPassword.json(), await unknownUser.json()];
      expect(a).toEqual(b);
      expect(a.error.message).toBe('Wrong user name or password');
      expect(wrongPassword.headers.get('set-cookie')).toBeNull();
    });

    it('takes a plain HTML form and redirects to a local page only', async () => {
      const form = (next: string) =>
        fetch(`${base}/auth/sign-in`, { method: 'POST', body: new URLSearchParams({ username: 'bob', password: 'bob-password', next }), redirect: 'manual' });
      const local = await form('/inbox?task=1');
      expect(local.status).toBe(303);
      expect(local.headers.get('location')).toBe('/inbox?task=1');
      expect(local.headers.get('set-cookie')).toMatch(/^weft_session=/);
      expect((await form('//evil.example/x')).headers.get('location')).toBe('/inbox');
      expect((await form('https://evil.example/')).headers.get('location')).toBe('/inbox');
    });

    it('refuses a sign-in posted from another site', async () => {
      const res = await signInRaw({ username: 'bob', password: 'bob-password' }, { origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    });

    it('answers 429 after five failures for one user name from one address, even with the right password', async () => {
      // given
      await addUser(t.api, 'eve', 'user', [], 'eve-password');
      for (let i = 0; i < 5; i++) expect((await signInRaw({ username: 'eve', password: `wrong-${i}` })).status).toBe(401);
      // when
      const blocked = await signInRaw({ username: 'eve', password: 'eve-password' });
      // then
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await blocked.json()).error.code).toBe('TOO_MANY_REQUESTS');
      expect((await signInRaw({ username: 'bob', password: 'bob-password' })).status).toBe(200);
    });

    it('verifies at most five of 20 concurrent wrong passwords for one user name; the rest get 429 with Retry-After', async () => {
      // given
      await addUser(t.api, 'mallory', 'user', [], 'mallory-password');
      // when 20 guesses arrive at once (each check used to run before any failure was counted)
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signInRaw({ username: 'mallory', password: `guess-${i}` })));
      // then only five passwords were verified (401); the others were not tried
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
      for (const r of answers.filter((r) => r.status === 429)) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await signInRaw({ username: 'mallory', password: 'mallory-password' })).status).toBe(429);
    });
  });

  /** A sign-in app of its own, with an in-memory per-address limit of 3. */
  async function withAddressLimitOf3(run: (post: (username: string, password: string) => Promise<number>) => Promise<void>) {
    const { signInRoutes } = await import('../../engine/features/people/sign-in-routes.js');
    const { AttemptLimiter } = await import('../../engine/features/people/attempt-limiter.js');
    const { IdentityRepository } = await import('../../engine/features/people/identity-repository.js');
    const app = express().use(signInRoutes(new IdentityRepository(t.weft.db), new Sessions(t.weft.db), { perAddress: new AttemptLimiter({ maxAttempts: 3 }) }));
    const server = app.listen(0);
    const post = (username: string, password: string) =>
      fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) }).then((r) => r.status);
    try {
      await run(post);
    } finally {
      server.close();
    }
  }

  it('limits failures from one address over many user names too (password spraying)', async () => {
    await withAddressLimitOf3(async (post) => {
      // when one password is tried on three different users
      for (const user of ['alice', 'bob', 'dora']) expect(await post(user, 'Summer2026!')).toBe(401);
      // then the address is held off, even for a right password
      expect(await post('bob', 'bob-password')).toBe(429);
    });
  });

  it('verifies at most the address limit of concurrent guesses spread over many user names (in-memory limiter)', async () => {
    await withAddressLimitOf3(async (post) => {
      // when twelve user names are tried at once from one address
      const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => post(`spray-${i}`, 'Summer2026!')));
      // then three were verified and nine held off
      expect(statuses.filter((s) => s === 401)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    });
  });

  it('does not count successful sign-ins against the address limit', async () => {
    await withAddressLimitOf3(async (post) => {
      for (let i = 0; i < 5; i++) expect(await post('bob', 'bob-password')).toBe(200);
      expect(await post('bob', 'wrong-password')).toBe(401);
    });
  });

  describe('CSRF on cookie-authenticated requests', () => {
    it('refuses a state change without the token or with a forged one, and changes nothing', async () => {
      // given
      const alice = await signIn(base, 'alice', 'alice-password');
      // when
      const missing = await alice.postWithCsrf('/api/tokens', { name: 'laptop' }, null);
      const forged = await alice.postWithCsrf('/api/tokens', { name: 'laptop' }, 'forged-token-value');
      const otherSessions = await alice.postWithCsrf('/api/tokens', { name: 'laptop' }, (await signIn(base, 'alice', 'alice-password')).csrfToken);
      // then
      for (const res of [missing, forged, otherSessions]) {
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/CSRF/);
      }
      expect((await alice.get('/api/tokens')).body.items).toEqual([]);
      // and with its own token it works; reads never need one
      expect((await alice.post('/api/tokens', { name: 'laptop' })).status).toBe(201);
    });

    it('is not needed with a Bearer token', async () => {
      const res = await t.api.post('/api/users', { name: 'frank', password: 'frank-password' });
      expect(res.status).toBe(201);
    });
  });

  describe('sign-out', () => {
    it('ends the session; the old cookie no longer works', async () => {
      // given
      const bob = await signIn(base, 'bob', 'bob-password');
      expect((await bob.get('/api/me')).status).toBe(200);
      // when: without the CSRF token it is refused
      expect((await bob.postWithCsrf('/auth/sign-out', {}, null)).status).toBe(403);
      expect((await bob.get('/api/me')).status).toBe(200);
      const out = await bob.post('/auth/sign-out', {});
      // then
      expect(out.status).toBe(200);
      expect((await bob.get('/api/me')).status).toBe(401);
    });

    it('ends every session of a user whose password changes or who is disabled', async () => {
      const alice = await signIn(base, 'alice', 'alice-password');
      expect((await t.api.post('/api/users/alice', {})).status).toBe(404); // PATCH only
      const patch = await fetch(`${base}/api/users/alice`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'alice-password-2' }),
      });
      expect(patch.status).toBe(200);
      expect((await alice.get('/api/me')).status).toBe(401);
      await expect(signIn(base, 'alice', 'alice-password')).rejects.toThrow(/401/);
      expect((await (await signIn(base, 'alice', 'alice-password-2')).get('/api/me')).body.user).toBe('alice');
    });
  });

  describe('personal API tokens', () => {
    it('are shown once, act as their user, and stop working when revoked', async () => {
      // given
      const bob = await signIn(base, 'bob', 'bob-password');
      const created = await bob.post('/api/tokens', { name: 'script' });
      expect(created.status).toBe(201);
      const { id, token } = created.body;
      expect(token).toMatch(/^weft_/);
      // then: listed without the secret
      const listed = await bob.get('/api/tokens');
      expect(listed.body.items).toEqual([expect.objectContaining({ id, user: 'bob', name: 'script', revokedAt: null })]);
      expect(JSON.stringify(listed.body)).not.toContain(token);
      // and it acts as bob, without CSRF
      const asBob = bearer(base, token);
      expect((await asBob.get('/api/me')).body).toMatchObject({ id: 'user:bob', roles: ['user'], csrfToken: null });
      // when
      expect((await bob.post(`/api/tokens/${id}/revoke`, {})).status).toBe(200);
      // then
      const after = await asBob.get('/api/me');
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('UNAUTHORIZED');
    });

    it('cannot be made for someone else or with scopes by a non-admin; admins can', async () => {
      const bob = await signIn(base, 'bob', 'bob-password');
      expect((await bob.post('/api/tokens', { user: 'alice' })).status).toBe(403);
      expect((await bob.post('/api/tokens', { scopes: ['worker'] })).status).toBe(403);
      const worker = await t.api.post('/api/tokens', { user: 'bob', name: 'worker', scopes: ['worker'] });
      expect(worker.status).toBe(201);
      const asWorker = bearer(base, worker.body.token);
      expect((await asWorker.post('/api/jobs/activate', { type: 'nothing', workerId: 'w' })).status).toBe(200);
      expect((await bearer(base, (await bob.post('/api/tokens', {})).body.token).post('/api/jobs/activate', { type: 'nothing', workerId: 'w' })).status).toBe(403);
    });

    it('of another user cannot be revoked by a non-admin', async () => {
      const alice = await signIn(base, 'alice', 'alice-password-2');
      const { id } = (await t.api.post('/api/tokens', { user: 'bob' })).body;
      expect((await alice.post(`/api/tokens/${id}/revoke`, {})).status).toBe(404);
      expect((await t.api.get('/api/tokens?user=bob')).body.items.find((x: any) => x.id === id).revokedAt).toBeNull();
    });
  });

  it('puts identity changes and sign-ins on the audit log, by whom, without secrets', async () => {
    // given
    await t.api.post('/api/users', { name: 'gus', role: 'user', password: 'gus-password' });
    const gus = await signIn(base, 'gus', 'gus-password');
    const { id, token } = (await gus.post('/api/tokens', { name: 'ci' })).body;
    await t.api.post(`/api/tokens/${id}/revoke`, {});
    await gus.post('/auth/sign-out', {});
    // then
    const rows = await t.weft.db('audit').whereNull('process_instance_id').orderBy('id').select('actor', 'type', 'payload');
    const about = rows.filter((r) => JSON.stringify(r.payload).includes('gus') || r.payload?.tokenId === id);
    expect(about.map((r) => [r.actor, r.type])).toEqual([
      ['admin', 'USER_ADDED'],
      ['user:gus', 'SIGNED_IN'],
      ['user:gus', 'TOKEN_CREATED'],
      ['admin', 'TOKEN_REVOKED'],
      ['user:gus', 'SIGNED_OUT'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('gus-password');
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('keeps the admin token working', async () => {
    expect((await t.api.get('/api/me')).body).toMatchObject({ id: 'admin', roles: ['admin'] });
    expect((await t.api.get('/api/process-definitions')).status).toBe(200);
  });
});

describe('people: the session cookie behind a TLS-terminating proxy', () => {
  async function cookieFor(trustProxy: boolean, headers: Record<string, string>): Promise<string> {
    const sessions = new Sessions(null as never, { trustProxy });
    const app = express().get('/', (req, res) => {
      sessions.setCookie(req, res, 'token', new Date(Date.now() + 60_000));
      res.end();
    });
    const server = app.listen(0);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers });
      return res.headers.get('set-cookie') ?? '';
    } finally {
      server.close();
    }
  }

  it('is Secure when a trusted proxy says the request came over https, and only then', async () => {
    expect(await cookieFor(true, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
    expect(await cookieFor(false, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
    expect(await cookieFor(true, { 'x-forwarded-proto': 'http' })).not.toMatch(/Secure/);
  });
});

describe('sign-in limits shared by engine processes', () => {
  it('counts attempts in Redis: a second limiter on the same keys (another process) sees them', async () => {
    const { RedisAttemptLimiter } = await import('../../engine/features/people/attempt-limiter.js');
    const { openTestRedis, testQueuePrefix, cleanupPrefix } = await import('../support/test-redis.js');
    const redis = openTestRedis();
    const prefix = testQueuePrefix();
    try {
      // given two processes' limiters on one Redis
      const one = new RedisAttemptLimiter(redis, `${prefix}:user`, { maxAttempts: 3, windowMs: 60_000 });
      const other = new RedisAttemptLimiter(redis, `${prefix}:user`, { maxAttempts: 3, windowMs: 60_000 });
      // when attempts are spread over both
      expect(await one.take('eve|1.2.3.4')).toBe(0);
      expect(await other.take('eve|1.2.3.4')).toBe(0);
      expect(await one.take('eve|1.2.3.4')).toBe(0);
      // then both hold the key off for the rest of the window, and a reset frees it for both
      expect(await other.take('eve|1.2.3.4')).toBeGreaterThan(55);
      await other.reset('eve|1.2.3.4');
      expect(await one.take('eve|1.2.3.4')).toBe(0);
    } finally {
      await cleanupPrefix(redis, prefix);
      await redis.quit();
    }
  });

  it('grants exactly the limit to many concurrent attempts over several processes, and refunds without going below zero', async () => {
    const { RedisAttemptLimiter } = await import('../../engine/features/people/attempt-limiter.js');
    const { openTestRedis, testQueuePrefix, cleanupPrefix } = await import('../support/test-redis.js');
    const redis = openTestRedis();
    const second = openTestRedis();
    const prefix = testQueuePrefix();
    try {
      // given two processes' limiters, each on its own connection
      const limiters = [redis, second].map((r) => new RedisAttemptLimiter(r, `${prefix}:user`, { maxAttempts: 5, windowMs: 60_000 }));
      // when 40 attempts arrive at once
      const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 2].take('eve|1.2.3.4')));
      // then exactly 5 are granted and the rest told how long to wait
      expect(waits.filter((w) => w === 0)).toHaveLength(5);
      expect(waits.filter((w) => w > 55 && w <= 60)).toHaveLength(35);
      // and refunds give attempts back but never more than were taken
      for (let i = 0; i < 8; i++) await limiters[0].refund('eve|1.2.3.4');
      expect(await redis.get(`${prefix}:user:eve|1.2.3.4`)).toBe('0');
      expect(await redis.pttl(`${prefix}:user:eve|1.2.3.4`)).toBeGreaterThan(55_000);
    } finally {
      await cleanupPrefix(redis, prefix);
      await Promise.all([redis.quit(), second.quit()]);
    }
  });
});
