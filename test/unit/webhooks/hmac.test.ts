import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureMatches } from '../../../engine/features/webhooks/hmac.js';

const body = Buffer.from('{"orderId":"o-1"}');
const secret = 'shared-secret-123';
const digest = (algorithm: string) => createHmac(algorithm, secret).update(body).digest();

describe('the HMAC check of a webhook request', () => {
  it('accepts the signature as hex, as hex behind a tag, and as base64, for each algorithm', () => {
    for (const [choice, algorithm] of [['sha_1', 'sha1'], ['sha_256', 'sha256'], ['sha_512', 'sha512']] as const) {
      const d = digest(algorithm);
      expect(signatureMatches(choice, secret, body, d.toString('hex'))).toBe(true);
      expect(signatureMatches(choice, secret, body, d.toString('hex').toUpperCase())).toBe(true);
      expect(signatureMatches(choice, secret, body, `${algorithm}=${d.toString('hex')}`)).toBe(true);
      expect(signatureMatches(choice, secret, body, d.toString('base64'))).toBe(true);
    }
  });

  it('refuses another secret, another body, another algorithm, and a missing or empty header', () => {
    const good = digest('sha256').toString('hex');
    expect(signatureMatches('sha_256', 'other-secret', body, good)).toBe(false);
    expect(signatureMatches('sha_256', secret, Buffer.from('{"orderId":"o-2"}'), good)).toBe(false);
    expect(signatureMatches('sha_512', secret, body, good)).toBe(false);
    expect(signatureMatches('sha_256', secret, body, undefined)).toBe(false);
    expect(signatureMatches('sha_256', secret, body, '')).toBe(false);
    expect(signatureMatches('sha_256', secret, body, 'sha256=')).toBe(false);
    expect(signatureMatches('sha_256', secret, body, good.slice(0, 63))).toBe(false);
  });

  it('signs the bytes as they arrived: the same JSON with other spacing is another body', () => {
    const spaced = Buffer.from('{ "orderId": "o-1" }');
    expect(signatureMatches('sha_256', secret, spaced, digest('sha256').toString('hex'))).toBe(false);
  });
});
