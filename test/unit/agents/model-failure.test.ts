import { describe, expect, it } from 'vitest';
import { describeModelFailure } from '../../../connectors/agents/model-failure.js';

const where = { agent: 'triage', model: 'gpt-4o-mini', connection: 'openai', settings: { kind: 'openai' as const, credentials: { apiKey: '{{env.OPENAI_API_KEY}}' } } };

describe('a failed model call in plain words', () => {
  it('a refused key: no retry, the endpoint, the connection and the variable, never the provider text', () => {
    // given: what the OpenAI client throws for a bad key (its message quotes the key)
    const error = Object.assign(new Error('401 Incorrect API key provided: sk-abc…xyz'), { status: 401, lc_error_code: 'MODEL_AUTHENTICATION' });

    // when
    const failure = describeModelFailure(error, where);

    // then
    expect(failure).toEqual({
      retry: false,
      message: "Agent 'triage': the model provider at https://api.openai.com/v1 (connection 'openai') refused its credentials (HTTP 401). Check the key in OPENAI_API_KEY, restart Weft, then retry.",
    });
  });

  it('an unknown model: no retry, says which model', () => {
    expect(describeModelFailure(Object.assign(new Error('404 model not found'), { status: 404 }), where)).toMatchObject({ retry: false, message: expect.stringContaining('has no model gpt-4o-mini (HTTP 404)') });
  });

  it('an unreachable provider: retried, with the network code when there is one', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:11434' } });
    const local = { ...where, connection: 'ollama', settings: { kind: 'ollama' as const } };
    expect(describeModelFailure(refused, local)).toEqual({ retry: true, message: "Agent 'triage' could not reach the model provider at http://127.0.0.1:11434 (connection 'ollama') (ECONNREFUSED). Check that it runs and that this server can reach it." });
    expect(describeModelFailure(Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' }), where)?.retry).toBe(true);
  });

  it('anything else is left to the caller', () => {
    expect(describeModelFailure(Object.assign(new Error('500 overloaded'), { status: 500 }), where)).toBeNull();
  });
});
