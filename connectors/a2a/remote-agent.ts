/**
 * A client for one A2A connection, made with the SDK's ClientFactory: the
 * Agent Card is fetched from the connection's `agentCardUrl`, and the
 * connection's headers (`{{env.NAME}}` resolved now, at the moment of use)
 * go with the card fetch and every JSON-RPC or REST call the card leads to.
 */
import { Client, ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory } from '@a2a-js/sdk/client';
import type { A2aConnection } from '../../engine/connections/connection-schema.js';
import { resolveRecord } from '../../engine/connections/env-references.js';
import { registerSecret } from '../../engine/security/redaction.js';

export interface RemoteAgent {
  client: Client;
  /** The card says it can stream (message/stream). */
  streaming: boolean;
}

export async function connectRemoteAgent(name: string, connection: A2aConnection, signal?: AbortSignal): Promise<RemoteAgent> {
  const headers = resolveRecord(connection.credentials?.headers, { connection: name, field: 'credentials.headers' });
  // A value read from a variable whose name does not look secret is scrubbed all the same.
  for (const value of Object.values(headers)) registerSecret(value);
  const fetchImpl: typeof fetch = (input, init) => {
    const merged = new Headers(init?.headers);
    for (const [key, value] of Object.entries(headers)) merged.set(key, value);
    return fetch(input, { ...init, headers: merged, signal: init?.signal ?? signal });
  };
  const legacyCompat = { enabled: true };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      // Agents still on protocol 0.3 are reached through the SDK's compatibility layer.
      transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat }), new RestTransportFactory({ fetchImpl, legacyCompat })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat }),
      clientConfig: { polling: true },
    }),
  );
  // A full card URL and an empty path: the resolver appends nothing.
  const client = await factory.createFromUrl(connection.agentCardUrl, '');
  const card = await client.getAgentCard();
  return { client, streaming: card.capabilities?.streaming === true };
}
