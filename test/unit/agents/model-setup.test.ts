import { describe, expect, it } from 'vitest';
import { modelSetupGap } from '../../../connectors/agents/model-setup.js';
import { defaultConnections } from '../../../engine/connections/load-connections.js';
import type { ServerReach } from '../../../engine/connections/server-reach.js';

const reach: ServerReach = {
  connections: {
    ...defaultConnections({}),
    gateway: { kind: 'ollama', baseUrl: 'http://llm.internal', credentials: { headers: { authorization: 'Bearer {{env.GW_TOKEN}}', 'x-tenant': '{{env.GW_TENANT}}' } } },
    kb: { kind: 'mcp', url: 'http://kb.internal/mcp' },
  },
  inline: { mcpCommands: false, mcpUrls: false },
};

const agent = (model: Record<string, unknown>) => ({ name: 'triage', model: { temperature: 0, ...model } as never });

describe('whether an agent definition can call its model on this server', () => {
  it('names the variable a provider connection needs when it is not set', () => {
    // when
    const gap = modelSetupGap(agent({ provider: 'openai', model: 'gpt-4o-mini' }), reach, {});

    // then
    expect(gap).toEqual({
      agent: 'triage',
      connection: 'openai',
      provider: 'openai',
      model: 'gpt-4o-mini',
      settings: ['OPENAI_API_KEY'],
      field: 'model.provider',
      message:
        "Agent 'triage' asks for model gpt-4o-mini through connection 'openai' (openai), which needs the environment variable OPENAI_API_KEY for its credentials; it is not set on this server. Set OPENAI_API_KEY and restart Weft (or name another configured connection in the definition's model.provider), then retry.",
    });
  });

  it('is satisfied once every variable is set, and never reads a value into the message', () => {
    // given
    const env = { GW_TOKEN: 'secret-gateway-token-123' };

    // when
    const partly = modelSetupGap(agent({ connection: 'gateway', model: 'llama3' }), reach, env);
    const fully = modelSetupGap(agent({ connection: 'gateway', model: 'llama3' }), reach, { ...env, GW_TENANT: 'acme' });

    // then
    expect(partly).toMatchObject({ settings: ['GW_TENANT'], field: 'model.connection' });
    expect(JSON.stringify(partly)).not.toContain('secret-gateway-token-123');
    expect(fully).toBeNull();
  });

  it('an empty variable counts as not set; a connection that needs no key is configured', () => {
    expect(modelSetupGap(agent({ provider: 'anthropic', model: 'claude-haiku-4' }), reach, { ANTHROPIC_API_KEY: '' })?.settings).toEqual(['ANTHROPIC_API_KEY']);
    expect(modelSetupGap(agent({ provider: 'ollama', model: 'llama3' }), reach, {})).toBeNull();
  });

  it('a connection the server no longer has, or one that is no model, points at the connections settings', () => {
    for (const connection of ['azure', 'kb']) {
      const gap = modelSetupGap(agent({ connection, model: 'gpt-4o' }), reach, {});
      expect(gap).toMatchObject({ connection, provider: null, settings: ['WEFT_CONNECTIONS', 'WEFT_CONNECTIONS_FILE'] });
      expect(gap!.message).toContain(`this server has no model connection of that name`);
    }
  });
});
