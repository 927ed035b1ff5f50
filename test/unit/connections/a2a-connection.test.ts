import { describe, expect, it } from 'vitest';
import { loadConnections } from '../../../engine/connections/load-connections.js';
import { referencedVariables } from '../../../engine/connections/env-references.js';

describe('an a2a connection', () => {
  it('names an Agent Card URL and headers that refer to the environment', () => {
    // when
    const { connections, problems } = loadConnections({
      WEFT_CONNECTIONS: JSON.stringify({ suppliers: { kind: 'a2a', agentCardUrl: 'https://agents.acme.example/.well-known/agent-card.json', credentials: { headers: { authorization: 'Bearer {{env.SUPPLIERS_TOKEN}}' } } } }),
    });
    // then
    expect(problems).toEqual([]);
    expect(connections.suppliers).toEqual({ kind: 'a2a', agentCardUrl: 'https://agents.acme.example/.well-known/agent-card.json', credentials: { headers: { authorization: 'Bearer {{env.SUPPLIERS_TOKEN}}' } } });
    expect(referencedVariables(connections)).toContain('SUPPLIERS_TOKEN');
  });

  it('refuses a credential held in the configuration, a URL that is not http(s), and fields of other kinds', () => {
    const { problems } = loadConnections({
      WEFT_CONNECTIONS: JSON.stringify({
        a: { kind: 'a2a', agentCardUrl: 'https://a.example/card.json', credentials: { headers: { authorization: 'Bearer s3cr3t-in-the-file' } } },
        b: { kind: 'a2a', agentCardUrl: 'file:///etc/passwd' },
        c: { kind: 'a2a', agentCardUrl: 'https://c.example/card.json', command: 'sh' },
      }),
    });
    expect(problems).toEqual([
      'WEFT_CONNECTIONS: a.credentials.headers.authorization: must refer to an environment variable as {{env.NAME}}, not hold the secret itself',
      'WEFT_CONNECTIONS: b.agentCardUrl: must be an http:// or https:// URL',
      expect.stringMatching(/^WEFT_CONNECTIONS: c: Unrecognized key.*command/),
    ]);
  });
});
