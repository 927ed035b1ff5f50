/**
 * `npx weft secrets set|list|delete|rotate` against a real database: the
 * value is read from stdin (never an argument), stored encrypted, resolved,
 * and never printed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../engine/secrets/secret-cipher.js';
import { secretResolver } from '../../engine/secrets/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const WEFT = fileURLToPath(new URL('../../scripts/weft.mjs', import.meta.url));
const VALUE = 'cli-secret-value-6e2f0a9b';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function weft(args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEFT, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('weft secrets (the CLI)', () => {
  let database: TestDatabase;
  const key = randomBytes(32);
  const oldKey = randomBytes(32);
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, WEFT_SECRETS_KEY: key.toString('base64'), WEFT_SECRETS_KEY_PREVIOUS: '', USER: 'ops' };
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('sets a secret from stdin, encrypted, and resolvable; the value is never printed', async () => {
    // when (as `echo "$VALUE" | weft secrets set CRM_TOKEN`: the trailing newline is not part of the value)
    const set = await weft(['secrets', 'set', 'CRM_TOKEN'], env, `${VALUE}\n`);
    // then
    expect(set).toEqual({ code: 0, stdout: `Created secret CRM_TOKEN (key ${keyIdOf(key)}).\n`, stderr: '' });
    const [row] = await database.knex('secrets').where({ name: 'CRM_TOKEN' });
    expect(row).toMatchObject({ key_id: keyIdOf(key), created_by: 'cli:ops', updated_by: 'cli:ops' });
    expect(`${row.ciphertext.toString('utf8')} ${row.ciphertext.toString('hex')}`).not.toContain(VALUE);
    expect(await secretResolver({ db: database.knex, env: {}, keys: { current: { id: keyIdOf(key), key }, previous: [] } }).get('CRM_TOKEN')).toBe(VALUE);
    const [audit] = await database.knex('audit').where({ type: 'SECRET_CREATED' });
    expect(audit).toMatchObject({ actor: 'cli:ops', payload: { secret: 'CRM_TOKEN', keyId: keyIdOf(key) } });
  });

  it('replaces, lists without values, and deletes', async () => {
    const replaced = await weft(['secrets', 'set', 'CRM_TOKEN'], env, 'cli-secret-value-replaced');
    const listed = await weft(['secrets', 'list'], env);
    const deleted = await weft(['secrets', 'delete', 'CRM_TOKEN'], env);
    const again = await weft(['secrets', 'delete', 'CRM_TOKEN'], env);
    expect(replaced.stdout).toBe(`Replaced secret CRM_TOKEN (key ${keyIdOf(key)}).\n`);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^CRM_TOKEN\\tkey ${keyIdOf(key)}\\tupdated \\S+ by cli:ops\\n$`));
    expect(deleted).toMatchObject({ code: 0, stdout: 'Deleted secret CRM_TOKEN.\n' });
    expect(again).toMatchObject({ code: 1, stderr: 'No secret CRM_TOKEN\n' });
    expect(await database.knex('secrets')).toEqual([]);
    for (const run of [replaced, listed, deleted, again]) expect(run.stdout + run.stderr).not.toMatch(/cli-secret-value/);
  });

  it('refuses a bad name, a short value, and a set without a key, storing nothing', async () => {
    const badName = await weft(['secrets', 'set', '1-bad'], env, VALUE);
    const short = await weft(['secrets', 'set', 'SHORT'], env, 'short\n');
    const { WEFT_SECRETS_KEY: _unused, ...keyless } = env;
    const noKey = await weft(['secrets', 'set', 'NO_KEY'], { ...keyless, WEFT_SECRETS_KEY: '' }, VALUE);
    const wrongLength = await weft(['secrets', 'list'], { ...env, WEFT_SECRETS_KEY: randomBytes(16).toString('hex') });
    expect(badName).toMatchObject({ code: 1, stderr: expect.stringContaining("Secret name '1-bad' must start with a letter or _") });
    expect(short).toMatchObject({ code: 1, stderr: 'The value of SHORT must be at least 8 characters (shorter values cannot be kept out of logs)\n' });
    expect(noKey).toMatchObject({ code: 1, stderr: expect.stringContaining('set WEFT_SECRETS_KEY') });
    expect(wrongLength).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Invalid configuration:\n {2}WEFT_SECRETS_KEY: must be 32 bytes.*got 16 bytes\n$/) });
    expect(await database.knex('secrets')).toEqual([]);
    expect(noKey.stderr + badName.stderr).not.toContain(VALUE);
  });

  it('rotates values sealed with the previous key onto the current one', async () => {
    // given a value set under the old key
    await weft(['secrets', 'set', 'OLD_ONE'], { ...env, WEFT_SECRETS_KEY: oldKey.toString('hex') }, VALUE);
    // when
    const rotated = await weft(['secrets', 'rotate', '--batch', '10'], { ...env, WEFT_SECRETS_KEY_PREVIOUS: oldKey.toString('hex') });
    // then
    expect(rotated).toMatchObject({ code: 0, stdout: `Re-encrypted 1…\nRe-encrypted 1 secret with key ${keyIdOf(key)}.\n` });
    expect((await database.knex('secrets').where({ name: 'OLD_ONE' }).first()).key_id).toBe(keyIdOf(key));
    expect(await secretResolver({ db: database.knex, env: {}, keys: { current: { id: keyIdOf(key), key }, previous: [] } }).get('OLD_ONE')).toBe(VALUE);
  });
});
