/**
 * Camunda's own TypeScript client (@camunda8/orchestration-cluster-api)
 * configured against a test Weft as a user would configure it: OAuth client
 * credentials at Weft's /oauth/token, or a Weft token sent as Bearer.
 */
import { createCamundaClient, type CamundaClient } from '@camunda8/orchestration-cluster-api';

export function oauthClient(base: string, clientId: string, secret: string): CamundaClient {
  return createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: base,
      CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      CAMUNDA_OAUTH_URL: `${base}/oauth/token`,
      CAMUNDA_CLIENT_ID: clientId,
      CAMUNDA_CLIENT_SECRET: secret,
      CAMUNDA_TOKEN_AUDIENCE: 'weft',
      CAMUNDA_OAUTH_RETRY_MAX: 1,
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    } as never,
    log: { level: 'silent' as never },
  });
}

/** The client without an auth strategy of its own, sending a Weft API token as Bearer on every call. */
export function bearerClient(base: string, token: string): CamundaClient {
  return createCamundaClient({
    config: { CAMUNDA_REST_ADDRESS: base, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1 } as never,
    fetch: (input, init) => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set('authorization', `Bearer ${token}`);
      return input instanceof Request ? fetch(new Request(input, { headers })) : fetch(input, { ...init, headers });
    },
    log: { level: 'silent' as never },
  });
}

/** The HTTP status a client call ended with (200 when it succeeded). */
export async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return 200;
  } catch (err) {
    const e = err as { status?: number; statusCode?: number; response?: { status?: number }; cause?: { status?: number } };
    return e.status ?? e.statusCode ?? e.response?.status ?? e.cause?.status ?? -1;
  }
}
