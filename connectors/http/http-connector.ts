/**
 * The HTTP connector: job types `http` and Camunda 8's REST connector
 * `io.camunda:http-json:1`, with the REST connector's inputs. The result is
 * `{status, headers, body}`; a status that is no success is an error
 * (http-errors.ts) that an errorExpression can map.
 */
import { defineConnector } from '../sdk/define-connector.js';
import type { AddressPolicy } from './address-policy.js';
import { addressPolicy } from './address-policy.js';
import { authenticate } from './http-auth.js';
import { statusError } from './http-errors.js';
import { httpFields, httpGroups, httpInputs } from './http-inputs.js';
import { buildRequest } from './http-request.js';
import { send } from './http-transport.js';

export interface HttpConnectorSettings {
  /** Who may be called beyond public addresses (WEFT_CONNECTOR_ALLOW). */
  policy: AddressPolicy;
  /** The largest response body read (WEFT_CONNECTOR_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export function httpConnector(settings: HttpConnectorSettings = { policy: addressPolicy([]).policy, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }) {
  return defineConnector({
    type: 'http',
    aliases: ['io.camunda:http-json:1'],
    name: 'HTTP request',
    version: 1,
    description: 'Calls a REST API; the response becomes {status, headers, body}',
    templateId: 'io.weft.connectors.http',
    inputs: httpInputs,
    fields: httpFields,
    groups: httpGroups,
    // Connect and read bounds are 20 s each by default; an attempt may take both and an OAuth token.
    timeoutMs: 120_000,
    async run(input, ctx) {
      const transport = {
        policy: settings.policy,
        maxResponseBytes: settings.maxResponseBytes,
        connectTimeoutSeconds: input.connectionTimeoutInSeconds,
        readTimeoutSeconds: input.readTimeoutInSeconds,
        signal: ctx.signal,
      };
      const request = buildRequest(input, await authenticate(input.authentication, transport));
      const response = await send(request, transport);
      if (response.status >= 400) throw statusError(response, `${request.method} ${request.url.origin}${request.url.pathname}`);
      return { status: response.status, headers: response.headers, body: response.body };
    },
  });
}
