import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf, openSecret, parseSecretKey, sealSecret, SecretCipherError, type SecretKey } from '../../../engine/secrets/secret-cipher.js';
import { loadSecretKeys } from '../../../engine/secrets/secret-keys.js';
import { loadConfig } from '../../../engine/config.js';

const newKey = (): SecretKey => {
  const key = randomBytes(32);
  return { id: keyIdOf(key), key };
};

function refusal(run: () => unknown): SecretCipherError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretCipherError);
    return error as SecretCipherError;
  }
  throw new Error('expected a refusal');
}

describe('the secret cipher (AES-256-GCM)', () => {
  it('opens what it sealed, with the key that sealed it, and never stores the plaintext', () => {
    // given
    const key = newKey();
    const value = 'crm-token-4f9a1c2e-ünïcødé';
    // when
    const sealed = sealSecret(key, 'CRM_TOKEN', value);
    // then
    expect(sealed.keyId).toBe(key.id);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.authTag).toHaveLength(16);
    expect(sealed.ciphertext.toString('utf8')).not.toContain('crm-token');
    expect(openSecret([key], 'CRM_TOKEN', sealed)).toBe(value);
  });

  it('seals the same value differently each time (a fresh IV per seal)', () => {
    const key = newKey();
    const a = sealSecret(key, 'A', 'same-value-123');
    const b = sealSecret(key, 'A', 'same-value-123');
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    // given
    const key = newKey();
    const sealed = sealSecret(key, 'CRM_TOKEN', 'crm-token-value-1');
    const flip = (b: Buffer) => Buffer.from(b.map((byte, i) => (i === 0 ? byte ^ 1 : byte)));
    // when / then
    for (const tampered of [{ ...sealed, ciphertext: flip(sealed.ciphertext) }, { ...sealed, iv: flip(sealed.iv) }, { ...sealed, authTag: flip(sealed.authTag) }, { ...sealed, authTag: sealed.authTag.subarray(0, 4) }]) {
      const error = refusal(() => openSecret([key], 'CRM_TOKEN', tampered));
      expect(error.code).toBe('SECRET_UNREADABLE');
      expect(error.message).toMatch(/Secret CRM_TOKEN could not be decrypted with key [0-9a-f]{16}/);
    }
  });

  it("refuses a ciphertext moved onto another secret's name", () => {
    const key = newKey();
    const sealed = sealSecret(key, 'LOW_VALUE', 'low-value-secret');
    expect(refusal(() => openSecret([key], 'HIGH_VALUE', sealed)).code).toBe('SECRET_UNREADABLE');
  });

  it('refuses to open with the wrong key, naming the key it needs and what to set', () => {
    // given
    const sealedWith = newKey();
    const configured = newKey();
    const sealed = sealSecret(sealedWith, 'CRM_TOKEN', 'crm-token-value-1');
    // when
    const unknown = refusal(() => openSecret([configured], 'CRM_TOKEN', sealed));
    const none = refusal(() => openSecret([], 'CRM_TOKEN', sealed));
    // a wrong key under the right id (a forged or corrupted row) is refused too
    const forged = refusal(() => openSecret([{ id: sealedWith.id, key: configured.key }], 'CRM_TOKEN', sealed));
    // then
    expect(unknown.code).toBe('SECRET_KEY_UNKNOWN');
    expect(unknown.message).toContain(`encrypted with key ${sealedWith.id}, and the configured keys are ${configured.id}`);
    expect(unknown.message).toContain('WEFT_SECRETS_KEY');
    expect(none.message).toContain('no key is configured');
    expect(forged.code).toBe('SECRET_UNREADABLE');
    for (const e of [unknown, none, forged]) expect(e.message).not.toContain('crm-token-value-1');
  });

  it('opens with a previous key among several', () => {
    const old = newKey();
    const sealed = sealSecret(old, 'X', 'value-under-old-key');
    expect(openSecret([newKey(), old], 'X', sealed)).toBe('value-under-old-key');
  });
});

describe('secret keys from the environment', () => {
  const raw = randomBytes(32);

  it('reads 32 bytes as hex, base64 or base64url, with a stable id that is not the key', () => {
    const ids = [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')].map((text) => parseSecretKey(text));
    for (const key of ids) expect(key.key.equals(raw)).toBe(true);
    expect(new Set(ids.map((k) => k.id)).size).toBe(1);
    expect(ids[0].id).toMatch(/^[0-9a-f]{16}$/);
    expect(raw.toString('hex')).not.toContain(ids[0].id);
  });

  it('refuses a key of the wrong length, naming the variable and never quoting the key', () => {
    // given
    const short = randomBytes(16).toString('base64');
    // when
    const { problems } = loadSecretKeys({ WEFT_SECRETS_KEY: short, WEFT_SECRETS_KEY_PREVIOUS: 'not a key!' });
    // then
    expect(problems).toEqual([
      'WEFT_SECRETS_KEY: must be 32 bytes, as 64 hex digits or base64 (e.g. `openssl rand -base64 32`); got 16 bytes',
      'WEFT_SECRETS_KEY_PREVIOUS: must be 32 bytes, as 64 hex digits or base64 (e.g. `openssl rand -base64 32`); got neither hex nor base64',
    ]);
    expect(() => loadConfig({ WEFT_SECRETS_KEY: short })).toThrow(/Invalid configuration:\n {2}WEFT_SECRETS_KEY: must be 32 bytes/);
    expect(() => loadConfig({ WEFT_SECRETS_KEY: short })).not.toThrow(short);
  });

  it('takes the current key and previous keys (comma-separated) into the configuration; none when unset', () => {
    const previous = [randomBytes(32), randomBytes(32)];
    const config = loadConfig({ WEFT_SECRETS_KEY: raw.toString('base64'), WEFT_SECRETS_KEY_PREVIOUS: previous.map((k) => k.toString('hex')).join(', ') });
    expect(config.secretKeys?.current?.id).toBe(keyIdOf(raw));
    expect(config.secretKeys?.previous.map((k) => k.id)).toEqual(previous.map(keyIdOf));
    expect(loadConfig({}).secretKeys).toBeUndefined();
  });
});
