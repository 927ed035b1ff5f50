/**
 * Secrets for `{{secrets.NAME}}`: what connectors need to resolve them.
 * `secretResolver({ db, env, keys: config.secretKeys })` reads the
 * environment (WEFT_SECRET_NAME) first, then the encrypted secrets table.
 */
export { SECRET_NAME, type SecretResolver } from './types.js';
export { envSecrets, envVariableFor } from './env-secrets.js';
export { secretResolver, type SecretResolverOptions } from './secret-resolver.js';
export { SecretCipherError, type SecretKey } from './secret-cipher.js';
export { NO_SECRET_KEYS, type SecretKeys } from './secret-keys.js';
export { SecretsAdmin } from './secrets-admin.js';
