/**
 * Authentication as Camunda's REST connector offers it: bearer, basic, an
 * API key in a header or the query, and OAuth 2.0 client credentials (a
 * token fetched from the token endpoint, through the same address guard,
 * before the call; the token is registered as a secret so no sink writes it).
 */
import { registerSecret } from '../../engine/security/redaction.js';
import { ConnectorError } from '../sdk/connector-error.js';
import type { Authentication } from './http-inputs.js';
import { HttpErrorCodes, statusError } from './http-errors.js';
import { send, type TransportOptions } from './http-transport.js';

export interface AuthParts {
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

export async function authenticate(auth: Authentication, transport: TransportOptions): Promise<AuthParts> {
  switch (auth.type) {
    case 'noAuth':
      return {};
    case 'bearer':
      return { headers: { Authorization: `Bearer ${auth.token}` } };
    case 'basic':
      return { headers: { Authorization: basic(auth.username, auth.password) } };
    case 'apiKey':
      return auth.apiKeyLocation === 'query' ? { query: { [auth.name]: auth.value } } : { headers: { [auth.name]: auth.value } };
    case 'oauth-client-credentials-flow':
      return { headers: { Authorization: `Bearer ${await clientCredentialsToken(auth, transport)}` } };
  }
}

type OAuth = Extract<Authentication, { type: 'oauth-client-credentials-flow' }>;

async function clientCredentialsToken(auth: OAuth, transport: TransportOptions): Promise<string> {
  let url: URL;
  try {
    url = new URL(auth.oauthTokenEndpoint);
  } catch {
    throw new ConnectorError('INVALID_INPUT', `input 'authentication.oauthTokenEndpoint': '${auth.oauthTokenEndpoint}' is not a URL`, { configuration: true });
  }
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.audience) form.set('audience', auth.audience);
  if (auth.scopes) form.set('scope', auth.scopes);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  if (auth.clientAuthentication === 'basicAuthHeader') headers.Authorization = basic(auth.clientId, auth.clientSecret);
  else {
    form.set('client_id', auth.clientId);
    form.set('client_secret', auth.clientSecret);
  }
  const response = await send({ method: 'POST', url, headers, body: form.toString() }, transport);
  const target = `the token endpoint ${url.origin}${url.pathname}`;
  if (response.status >= 300) {
    const error = statusError(response, target);
    throw new ConnectorError(HttpErrorCodes.OAUTH_TOKEN_FAILED, `OAuth token request failed: ${error.message}`, { retryable: error.retryable, retryAfterMs: error.retryAfterMs });
  }
  const token = (response.body as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== 'string' || token === '') throw new ConnectorError(HttpErrorCodes.OAUTH_TOKEN_FAILED, `OAuth token request to ${target} gave no access_token`);
  registerSecret(token);
  return token;
}

function basic(user: string, password: string): string {
  const credentials = Buffer.from(`${user}:${password}`).toString('base64');
  registerSecret(credentials);
  return `Basic ${credentials}`;
}
