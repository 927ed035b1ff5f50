/**
 * A webhook's own authorization (`inbound.auth.type`): none, HTTP basic
 * (the `Authorization: Basic …` header against the configured user and
 * password) or an API key (the value the `apiKeyLocator` FEEL expression
 * finds in the request against the configured key). Compared in constant
 * time. A missing or wrong credential is the same 401: the caller learns
 * nothing about which part was wrong.
 */
import { sameToken } from '../../api/auth.js';
import type { InboundWebhook } from '../../model/types.js';
import { evaluateFeel } from '../../runtime/feel.js';
import type { SecretResolver } from '../../secrets/types.js';
import { registerSecret } from '../../security/redaction.js';
import { resolveSecrets } from './secret-values.js';
import type { WebhookRequest } from './webhook-request.js';

export async function authorized(auth: InboundWebhook['auth'], request: WebhookRequest, secrets: SecretResolver, now: string): Promise<boolean> {
  if (auth.type === 'NONE') return true;
  if (auth.type === 'BASIC') {
    const [username, password] = await Promise.all([resolveSecrets(auth.username, secrets), resolveSecrets(auth.password, secrets)]);
    registerSecret(password);
    const header = request.headers.authorization ?? '';
    const match = /^basic\s+(\S+)$/i.exec(header.trim());
    const given = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    return sameToken(given, `${username}:${password}`);
  }
  const apiKey = await resolveSecrets(auth.apiKey, secrets);
  registerSecret(apiKey);
  const located = evaluateFeel(auth.apiKeyLocator, { request }, now);
  return located.ok && typeof located.value === 'string' && sameToken(located.value, apiKey);
}
