/**
 * Sealing and opening secret values with AES-256-GCM (node:crypto). Pure: no
 * database, no environment; the keys are passed in.
 *
 * - A fresh 12-byte IV per seal (GCM's recommended size; never reused with
 *   one key, because a repeated IV under GCM gives away the XOR of two
 *   plaintexts and the authentication key).
 * - The secret's name is the additional authenticated data, so a ciphertext
 *   copied onto another row (a low-value secret's row over a high-value
 *   one's name, or back) is refused rather than read under the wrong name.
 * - Each seal records the id of its key (keyIdOf), so rows written under an
 *   old key can be found and read with that key after a rotation.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretKey {
  /** Derived from the key (keyIdOf): the same key always has the same id, and the id tells nothing of the key. */
  id: string;
  key: Buffer;
}

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

export type SecretCipherErrorCode = 'SECRET_KEY_INVALID' | 'SECRET_KEY_UNKNOWN' | 'SECRET_UNREADABLE';

/** Never carries a value or a key: only names, key ids and what to do. */
export class SecretCipherError extends Error {
  constructor(
    readonly code: SecretCipherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretCipherError';
  }
}

/** A short, stable id for a key: a hash of it under a fixed label (64 bits of a 256-bit key's hash reveal nothing usable). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('weft-secrets-key-id\0').update(key).digest('hex').slice(0, 16);
}

/**
 * A key as an administrator writes it: 32 bytes as 64 hex digits or as base64
 * (`openssl rand -base64 32`). The message never quotes the text given.
 */
export function parseSecretKey(text: string): SecretKey {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  // Hex digits only: read as hex whatever the length, so a short hex key is reported in its own bytes.
  // (32 bytes in base64 are 43 characters and a `=`: never an even run of hex digits, so nothing is misread.)
  if (/^(?:[0-9a-fA-F]{2})+$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (!key || key.length !== KEY_BYTES) {
    const got = key ? `${key.length} bytes` : 'neither hex nor base64';
    throw new SecretCipherError('SECRET_KEY_INVALID', `must be ${KEY_BYTES} bytes, as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`); got ${got}`);
  }
  return { id: keyIdOf(key), key };
}

export function sealSecret(key: SecretKey, name: string, value: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: key.id };
}

/**
 * The value of a sealed secret, with whichever of `keys` sealed it. A key
 * that is not among them, a wrong key under a matching id, or a changed byte
 * anywhere (ciphertext, IV, tag, name) is refused: GCM's tag proves the
 * ciphertext is the one the key sealed for this name.
 */
export function openSecret(keys: readonly SecretKey[], name: string, sealed: SealedSecret): string {
  const key = keys.find((k) => k.id === sealed.keyId);
  if (!key) {
    const known = keys.length ? `the configured keys are ${keys.map((k) => k.id).join(', ')}` : 'no key is configured';
    throw new SecretCipherError(
      'SECRET_KEY_UNKNOWN',
      `Secret ${name} was encrypted with key ${sealed.keyId}, and ${known}: set WEFT_SECRETS_KEY (or WEFT_SECRETS_KEY_PREVIOUS) to that key`,
    );
  }
  try {
    if (sealed.authTag.length !== TAG_BYTES) throw new Error('bad tag length');
    const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretCipherError('SECRET_UNREADABLE', `Secret ${name} could not be decrypted with key ${key.id}: it was changed, or the key is not the one that sealed it`);
  }
}
