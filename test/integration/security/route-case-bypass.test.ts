/**
 * Regression (issue #8, finding 1): route roles were decided on a
 * case-sensitive view of the path while Express routed case-insensitively, so
 * `PATCH /api/Users/<self>` let an operator make themselves admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser, signIn } from '../../fixtures/people/client.js';

describe('route roles cannot be bypassed by spelling the path differently', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const variants = ['/api/Users/NAME', '/api/USERS/NAME', '/api/users/NAME/', '/api/%75sers/NAME', '/api//users/NAME', '/API/users/NAME'];
  variants.forEach((variant, i) => {
    const name = `oscar${i}`;
    const path = variant.replace('NAME', name);
    it(`an operator cannot make themselves admin through PATCH ${path}`, async () => {
      // given
      await addUser(t.api, name, 'operator');
      const oscar = await signIn(t.weft.url!, name, `${name}-password`);
      // when
      const res = await fetch(t.weft.url + path, {
        method: 'PATCH',
        headers: { cookie: oscar.cookie, 'x-csrf-token': oscar.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'admin' }),
      });
      // then
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect((await t.api.get(`/api/users/${name}`)).body.role).toBe('operator');
    });
  });
});
