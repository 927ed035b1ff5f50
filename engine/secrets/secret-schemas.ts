/**
 * What the API and the CLI accept as a secret's name and value: one set of
 * zod schemas at the edge, so both refuse the same things with the same words.
 */
import { z } from 'zod';
import { MIN_SECRET_LENGTH } from '../security/secret-registry.js';
import { SECRET_NAME } from './types.js';

/** Generous for keys, certificates and service-account JSON; far below the API's body limit. */
export const MAX_SECRET_VALUE_LENGTH = 65_536;

export const secretNameSchema = z
  .string()
  .regex(SECRET_NAME, 'must start with a letter or _ and hold letters, digits, _ . - only (up to 128), as in {{secrets.NAME}}');

/**
 * At least MIN_SECRET_LENGTH characters: a shorter value could not be
 * registered with the redaction (it would scrub ordinary words), so it could
 * not be kept out of logs when a called system echoes it.
 */
export const secretValueSchema = z
  .string({ error: 'must be a string' })
  .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (shorter values cannot be kept out of logs)`)
  .max(MAX_SECRET_VALUE_LENGTH, `must be at most ${MAX_SECRET_VALUE_LENGTH} characters`);

export const secretPathSchema = z.object({ name: secretNameSchema });
export const putSecretBody = z.object({ value: secretValueSchema }).strict();
