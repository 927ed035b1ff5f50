/**
 * The secrets store end to end (issue #10): a value set over the admin API is
 * encrypted at rest, resolved for `{{secrets.NAME}}` (the environment first),
 * and never comes back out — not in a response, the audit, the log or any
 * table in plaintext. Only admins manage it; without WEFT_SECRETS_KEY writing
 * is refused with what to set.
 */
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretResolver } from '../../engine/secrets/index.js';
import { sealSecret } from '../../engine/secrets/secret-cipher.js';
import { SecretStore } from '../../engine/secrets/secret-store.js';
import { SecretsAdmin } from '../../engine/secrets/secrets-admin.js';
import { REDACTED, registerSecret, scrubText } from '../../engine/security/redaction.js';
import { resetSecretsForTest } from '../../engine/security/secret-registry.js';
import { addUser } from '../fixtures/people/client.js';
import { keysWith, randomSecretKey, secretsClient } from '../fixtures/secrets/secrets-client.js';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';

/** No well-known key shape: only the store's own registration can keep these out of sinks. */
const CRM_TOKEN = 'crm-token-3b7e91d04c5a';
const CRM_TOKEN_2 = 'crm-token-second-8f02aa';

/** Every row of every table, as Postgres prints it (bytea as hex). */
async function wholeDatabase(db: Knex): Promise<string> {
  const tables: { table_name: string }[] = (await db.raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows;
  const parts = await Promise.all(tables.map(async ({ table_name }) => (await db.raw(`SELECT coalesce(string_agg(t::text, E'\\n'), '') AS rows FROM "${table_name}" t`)).rows[0].rows as string));
  return parts.join('\n');
}

const plaintextForms = (value: string) => [value, Buffer.from(value).toString('hex'), Buffer.from(value).toString('base64')];

describe('the secrets store', () => {
  let t: TestWeft;
  const key = randomSecretKey();
  const log: string[] = [];
  const responses: string[] = [];
  let admin: ReturnType<typeof secretsClient>;

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        log.push(String(chunk));
        done();
      },
    });
    t = await startTestWeft({ logger: undefined, logStream }, { config: { logLevel: 'debug', secretKeys: keysWith(key) } });
    admin = secretsClient(t.weft.url!, t.config.adminToken!, responses);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('stores a value set over the API encrypted: no table holds the plaintext, and the row names its key', async () => {
    // when
    const created = await admin.put('CRM_TOKEN', { value: CRM_TOKEN });
    const replaced = await admin.put('CRM_TOKEN', { value: CRM_TOKEN_2 });
    // then
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: 'CRM_TOKEN', keyId: key.id, createdAt: expect.any(String), createdBy: 'admin', updatedAt: expect.any(String), updatedBy: 'admin' });
    expect(replaced.status).toBe(200);
    const [row] = await t.weft.db('secrets').where({ name: 'CRM_TOKEN' });
    expect(row.key_id).toBe(key.id);
    expect(row.iv).toHaveLength(12);
    expect(row.auth_tag).toHaveLength(16);
    const everything = await wholeDatabase(t.weft.db);
    expect(everything).toContain('CRM_TOKEN');
    for (const value of [CRM_TOKEN, CRM_TOKEN_2]) for (const form of plaintextForms(value)) expect(everything).not.toContain(form);
  });

  it('resolves a value set over the API, and the environment before the table', async () => {
    // given
    await admin.put('ERP_PASSWORD', { value: 'erp-password-in-the-table' });
    const resolver = secretResolver({ db: t.weft.db, env: { WEFT_SECRET_ERP_PASSWORD: 'erp-password-from-the-env' }, keys: keysWith(key) });
    const tableOnly = secretResolver({ db: t.weft.db, env: {}, keys: keysWith(key) });
    // when / then
    expect(await tableOnly.get('CRM_TOKEN')).toBe(CRM_TOKEN_2);
    expect(await tableOnly.get('ERP_PASSWORD')).toBe('erp-password-in-the-table');
    expect(await resolver.get('ERP_PASSWORD')).toBe('erp-password-from-the-env');
    expect(await resolver.get('CRM_TOKEN')).toBe(CRM_TOKEN_2);
    expect(await resolver.get('NOT_SET')).toBeUndefined();
    expect(await resolver.get('not a name; DROP TABLE secrets')).toBeUndefined();
  });

  it('registers every value it resolves with the redaction, before returning it', async () => {
    // given a process that has not seen the value (the registry forgotten, as in another engine process)
    const value = 'stored-only-value-5d1e0c';
    await admin.put('STORED_ONLY', { value });
    resetSecretsForTest();
    expect(scrubText(`echo ${value}`)).toBe(`echo ${value}`);
    // when
    await secretResolver({ db: t.weft.db, env: { WEFT_SECRET_FROM_ENV: 'env-only-value-77aa01' }, keys: keysWith(key), cacheMs: 0 }).get('STORED_ONLY');
    await secretResolver({ db: t.weft.db, env: { WEFT_SECRET_FROM_ENV: 'env-only-value-77aa01' }, keys: keysWith(key) }).get('FROM_ENV');
    // then
    expect(scrubText(`echo ${value} and env-only-value-77aa01`)).toBe(`echo ${REDACTED} and ${REDACTED}`);
    // (what the rest of this file relies on: the admin token and the earlier values are known again)
    for (const v of [t.weft.adminToken, CRM_TOKEN, CRM_TOKEN_2, 'erp-password-in-the-table']) registerSecret(v);
  });

  it('sees a write in this process at once, and one from another process within the cache time', async () => {
    // given a resolver with a clock of its own, having read the value
    let now = 1_000_000;
    const resolver = secretResolver({ db: t.weft.db, env: {}, keys: keysWith(key), cacheMs: 5_000, now: () => now });
    await admin.put('ROTATING', { value: 'rotating-value-one' });
    expect(await resolver.get('ROTATING')).toBe('rotating-value-one');
    // when this process writes (API → SecretsAdmin), then
    await admin.put('ROTATING', { value: 'rotating-value-two' });
    expect(await resolver.get('ROTATING')).toBe('rotating-value-two');
    // when another process writes (straight to the table: nothing here is told)
    await new SecretStore(t.weft.db).put('ROTATING', sealSecret(key, 'ROTATING', 'rotating-value-three'), 'other-engine');
    // then the cached value holds until the cache time is up, and no longer
    expect(await resolver.get('ROTATING')).toBe('rotating-value-two');
    now += 5_001;
    expect(await resolver.get('ROTATING')).toBe('rotating-value-three');
  });

  it('lists names, key and who changed them when; never a value', async () => {
    const listed = await admin.list();
    expect(listed.status).toBe(200);
    expect(listed.body.keyId).toBe(key.id);
    expect(listed.body.items.map((s: { name: string }) => s.name)).toEqual(['CRM_TOKEN', 'ERP_PASSWORD', 'ROTATING', 'STORED_ONLY']);
    expect(Object.keys(listed.body.items[0]).sort()).toEqual(['createdAt', 'createdBy', 'keyId', 'name', 'updatedAt', 'updatedBy']);
  });

  it('answers a bad name or value with a 400 naming the field, and deleting what is absent with a 404', async () => {
    const badName = await admin.put('9-starts-with-a-digit', { value: 'long-enough-value' });
    const shortValue = await admin.put('SHORT', { value: 'short' });
    const noValue = await admin.put('NO_VALUE', {});
    const extra = await admin.put('EXTRA', { value: 'long-enough-value', name: 'OTHER' });
    expect([badName.status, shortValue.status, noValue.status, extra.status]).toEqual([400, 400, 400, 400]);
    expect(badName.body.error.details).toEqual([{ path: 'name', message: expect.stringContaining('must start with a letter or _') }]);
    expect(shortValue.body.error.details).toEqual([{ path: 'value', message: expect.stringContaining('at least 8 characters') }]);
    expect(noValue.body.error.details[0].path).toBe('value');
    expect((await admin.delete('NEVER_SET')).status).toBe(404);
    expect(await t.weft.db('secrets').whereIn('name', ['SHORT', 'NO_VALUE', 'EXTRA'])).toEqual([]);
  });

  it('deletes a secret: it resolves no more', async () => {
    await admin.put('DOOMED', { value: 'doomed-value-123' });
    expect((await admin.delete('DOOMED')).status).toBe(204);
    expect(await secretResolver({ db: t.weft.db, env: {}, keys: keysWith(key) }).get('DOOMED')).toBeUndefined();
    expect((await admin.delete('DOOMED')).status).toBe(404);
  });

  it('records each change in the audit with the name and the actor, never the value', async () => {
    const rows = await t.weft.db('audit').whereIn('type', ['SECRET_CREATED', 'SECRET_UPDATED', 'SECRET_DELETED']).orderBy('id');
    const crm = rows.filter((r) => r.payload.secret === 'CRM_TOKEN').map((r) => [r.type, r.actor, r.payload]);
    expect(crm).toEqual([
      ['SECRET_CREATED', 'admin', { secret: 'CRM_TOKEN', keyId: key.id }],
      ['SECRET_UPDATED', 'admin', { secret: 'CRM_TOKEN', keyId: key.id }],
    ]);
    expect(rows.filter((r) => r.payload.secret === 'DOOMED').map((r) => r.type)).toEqual(['SECRET_CREATED', 'SECRET_DELETED']);
    const audit = JSON.stringify(await t.weft.db('audit').select('*'));
    for (const value of [CRM_TOKEN, CRM_TOKEN_2, 'erp-password-in-the-table', 'doomed-value-123']) expect(audit).not.toContain(value);
  });

  it('refuses every lower role on every secrets route, and nothing changes', async () => {
    // given
    const secretAudit = () => t.weft.db('audit').where('type', 'like', 'SECRET%').orderBy('id');
    const before = { secrets: await t.weft.db('secrets').orderBy('name'), audit: await secretAudit() };
    const refusals: number[] = [];
    for (const role of ['modeler', 'operator', 'user']) {
      await addUser(t.api, `s-${role}`, role);
      const token = (await t.api.post('/api/tokens', { user: `s-${role}`, name: 'secrets' })).body.token;
      const mallory = secretsClient(t.weft.url!, token, responses);
      // when
      refusals.push((await mallory.list()).status, (await mallory.put('CRM_TOKEN', { value: 'forged-value-by-mallory' })).status, (await mallory.put('NEW_ONE', { value: 'forged-value-by-mallory' })).status, (await mallory.delete('CRM_TOKEN')).status);
    }
    const worker = (await t.api.post('/api/tokens', { user: 's-user', name: 'w', scopes: ['worker', 'agent-worker'] })).body.token;
    const workerClient = secretsClient(t.weft.url!, worker, responses);
    refusals.push((await workerClient.list()).status, (await workerClient.put('CRM_TOKEN', { value: 'forged-value-by-worker' })).status, (await workerClient.delete('CRM_TOKEN')).status);
    // then
    expect(new Set(refusals)).toEqual(new Set([403]));
    expect(await t.weft.db('secrets').orderBy('name')).toEqual(before.secrets);
    expect(await secretAudit()).toEqual(before.audit);
  });

  it('never puts a value in a response or the log', () => {
    const everything = [...responses, ...log].join('\n');
    expect(log.some((line) => line.includes('"name":"CRM_TOKEN"') && line.includes('secret replaced'))).toBe(true);
    for (const value of [CRM_TOKEN, CRM_TOKEN_2, 'erp-password-in-the-table', 'doomed-value-123', 'forged-value-by-mallory', 'rotating-value-two']) {
      for (const form of plaintextForms(value)) expect(everything).not.toContain(form);
    }
  });
});

describe('the secrets store without WEFT_SECRETS_KEY', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft({ features: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses to store a secret, saying what to set; listing and environment secrets still work', async () => {
    // given
    const admin = secretsClient(t.weft.url!, t.config.adminToken!);
    // when
    const put = await admin.put('CRM_TOKEN', { value: 'value-without-a-key' });
    // then
    expect(put.status).toBe(409);
    expect(put.body.error).toEqual({ code: 'SECRETS_KEY_NOT_SET', message: expect.stringContaining('set WEFT_SECRETS_KEY') });
    expect(put.text).not.toContain('value-without-a-key');
    expect(await t.weft.db('secrets')).toEqual([]);
    expect(await t.weft.db('audit').where('type', 'like', 'SECRET%')).toEqual([]);
    expect((await admin.list()).body).toEqual({ keyId: null, items: [] });
    expect(await secretResolver({ db: t.weft.db, env: { WEFT_SECRET_CRM_TOKEN: 'env-crm-token-1' } }).get('CRM_TOKEN')).toBe('env-crm-token-1');
  });

  it('names the key a stored value needs when it cannot open it', async () => {
    // given a value stored under a key this server was not given
    const other = randomSecretKey();
    await new SecretsAdmin(t.weft.db, keysWith(other)).set('SEALED_ELSEWHERE', 'sealed-elsewhere-value', 'test');
    // when / then
    await expect(secretResolver({ db: t.weft.db, env: {} }).get('SEALED_ELSEWHERE')).rejects.toThrow(`Secret SEALED_ELSEWHERE was encrypted with key ${other.id}, and no key is configured`);
  });
});

describe('rotating the key', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft({ features: false }, { config: {} });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('re-encrypts every value under the new key in bounded batches; the old key is needed no more', async () => {
    // given five values under the old key
    const oldKey = randomSecretKey();
    const newKey = randomSecretKey();
    const before = new SecretsAdmin(t.weft.db, keysWith(oldKey));
    for (let i = 1; i <= 5; i++) await before.set(`S${i}`, `rotated-value-${i}-abcdef`, 'test');
    const old = await t.weft.db('secrets').orderBy('name');
    // when (the new key current, the old one previous) with batches of two
    const batches: number[] = [];
    const after = new SecretsAdmin(t.weft.db, keysWith(newKey, oldKey));
    const total = await after.rotate('cli:test', 2, (n) => batches.push(n));
    // then
    expect(total).toBe(5);
    expect(batches).toEqual([2, 2, 1]);
    expect(await after.countByKey()).toEqual({ [newKey.id]: 5 });
    const rows = await t.weft.db('secrets').orderBy('name');
    expect(rows.map((r) => r.iv.equals(old.find((o) => o.name === r.name).iv))).toEqual([false, false, false, false, false]);
    const resolver = secretResolver({ db: t.weft.db, env: {}, keys: { current: newKey, previous: [] } });
    for (let i = 1; i <= 5; i++) expect(await resolver.get(`S${i}`)).toBe(`rotated-value-${i}-abcdef`);
    const audit = await t.weft.db('audit').where({ type: 'SECRETS_ROTATED' }).orderBy('id');
    expect(audit.map((r) => r.payload.secrets)).toEqual([['S1', 'S2'], ['S3', 'S4'], ['S5']]);
    expect(audit[0].payload).toEqual({ secrets: ['S1', 'S2'], fromKeyIds: [oldKey.id], keyId: newKey.id });
    // and a rotation with nothing left to do does nothing
    expect(await after.rotate('cli:test', 2)).toBe(0);
  });
});
