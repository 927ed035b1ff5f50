/**
 * Secrets from the server's environment: `{{secrets.NAME}}` reads
 * `WEFT_SECRET_NAME` (the name upper-cased, `.` and `-` as `_`), so an
 * administrator can hand a connector a credential without a secrets store.
 */
import type { SecretResolver } from './types.js';

export function envVariableFor(name: string): string {
  return `WEFT_SECRET_${name.toUpperCase().replace(/[.-]/g, '_')}`;
}

export function envSecrets(env: NodeJS.ProcessEnv = process.env): SecretResolver {
  return {
    async get(name) {
      const value = env[envVariableFor(name)];
      return value === undefined || value === '' ? undefined : value;
    },
  };
}
