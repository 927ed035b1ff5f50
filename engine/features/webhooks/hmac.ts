/**
 * The HMAC check of a webhook request, as Camunda's webhook connector does
 * it: the signature is HMAC(secret, raw body) with the configured
 * algorithm, sent in the configured header either as hex, as hex behind a
 * tag (`sha256=…`, GitHub's form) or as base64 (Twilio's form). Compared in
 * constant time, over the bytes exactly as they arrived (never re-serialized
 * JSON, which would change them).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundWebhook } from '../../model/types.js';

type Algorithm = NonNullable<InboundWebhook['hmac']>['algorithm'];

const NODE_ALGORITHM: Record<Algorithm, string> = { sha_1: 'sha1', sha_256: 'sha256', sha_512: 'sha512' };

export function sign(algorithm: Algorithm, secret: string, body: Buffer): Buffer {
  return createHmac(NODE_ALGORITHM[algorithm], secret).update(body).digest();
}

/** Whether `provided` (a header's value, or undefined when absent) signs `body` with `secret`. */
export function signatureMatches(algorithm: Algorithm, secret: string, body: Buffer, provided: string | undefined): boolean {
  if (!provided) return false;
  const digest = sign(algorithm, secret, body);
  const hex = Buffer.from(digest.toString('hex'));
  const base64 = Buffer.from(digest.toString('base64'));
  const given = provided.trim();
  const tagged = /^[A-Za-z0-9_-]+=([0-9a-fA-F]+)$/.exec(given)?.[1];
  // Every form is compared (no early exit), so the time taken says nothing about which came close.
  const results = [same(given.toLowerCase(), hex), same(tagged?.toLowerCase(), hex), same(given, base64)];
  return results.some(Boolean);
}

function same(text: string | undefined, expected: Buffer): boolean {
  if (text === undefined) return false;
  const given = Buffer.from(text);
  // timingSafeEqual needs equal lengths; a length mismatch says only that the form is wrong.
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}
