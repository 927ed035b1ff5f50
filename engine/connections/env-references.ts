/**
 * `{{env.NAME}}` in a connection, resolved at the moment of use: the value is
 * read from the server's environment when the model client is built or the
 * MCP server is reached, and held nowhere else.
 */
import { ENV_REFERENCE, type Connections } from './connection-schema.js';
import { MIN_SECRET_LENGTH } from '../security/secret-registry.js';

/** A referenced variable is not set: the connection cannot be used until an administrator sets it. */
export class MissingCredentialError extends Error {
  constructor(
    readonly connection: string,
    readonly field: string,
    readonly variable: string,
  ) {
    super(`connection '${connection}': ${field} refers to the environment variable ${variable}, which is not set on this server`);
    this.name = 'MissingCredentialError';
  }
}

/** Replaces every `{{env.NAME}}` in `text`; an unset (or empty) variable is a MissingCredentialError. */
export function resolveReferences(text: string, where: { connection: string; field: string }, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(new RegExp(ENV_REFERENCE.source, 'g'), (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') throw new MissingCredentialError(where.connection, where.field, name);
    return value;
  });
}

/** Resolves every value of a record (headers, a process environment). */
export function resolveRecord(record: Record<string, string> | undefined, where: { connection: string; field: string }, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, resolveReferences(value, { ...where, field: `${where.field}.${key}` }, env)]));
}

/** The names of the environment variables the connections refer to. */
export function referencedVariables(connections: Connections): string[] {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') for (const match of value.matchAll(new RegExp(ENV_REFERENCE.source, 'g'))) names.add(match[1]);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  Object.values(connections).forEach(visit);
  return [...names].sort();
}

/**
 * The current values of the variables the connections refer to: what a
 * redaction of log, audit, transcript and incident text must scrub, whether or
 * not the variable's name looks secret (`{{env.KB_PASS}}` or `{{env.ACME}}`).
 * Values shorter than MIN_SECRET_LENGTH are left out, as the registry does:
 * scrubbing `1` or `true` from every text would destroy the record and protect nothing.
 */
export function connectionSecretValues(connections: Connections, env: NodeJS.ProcessEnv = process.env): string[] {
  return referencedVariables(connections)
    .map((name) => env[name])
    .filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
}
