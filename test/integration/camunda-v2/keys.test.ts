import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase } from '../../support/test-database.js';
import { idOf, keyOf, keysOf } from '../../../engine/features/camunda-v2/keys.js';

describe('numeric keys for Camunda 8 clients', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Knex;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: true });
    db = database.knex;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('gives each id a stable key of digits, per kind, and reads the id back', async () => {
    // when
    const first = await keysOf(db, 'process-instance', ['a', 'b', 'a']);
    const again = await keysOf(db, 'process-instance', ['b', 'c']);
    // then
    expect(first.get('a')).toMatch(/^\d{16}$/);
    expect(again.get('b')).toBe(first.get('b'));
    expect(new Set([first.get('a'), first.get('b'), again.get('c')]).size).toBe(3);
    expect(await idOf(db, 'process-instance', first.get('a')!)).toBe('a');
    // a key of another kind, or no key at all, names nothing
    expect(await idOf(db, 'job', first.get('a')!)).toBeUndefined();
    expect(await idOf(db, 'job', '12abc')).toBeUndefined();
    // past bigint's range: no key, not a database error
    expect(await idOf(db, 'job', '9999999999999999999')).toBeUndefined();
  });

  it('hands out one key when many ask for the same id at once', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, () => keyOf(db, 'job', 'same-job')));
    expect(new Set(keys).size).toBe(1);
  });
});
