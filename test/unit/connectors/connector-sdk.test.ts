/** The SDK's pure parts: secret placeholders, and Camunda's connector headers. */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecrets, secretUses } from '../../../connectors/sdk/secret-placeholders.js';
import { examineErrorExpression, resultVariables, retryBackoffMs } from '../../../connectors/sdk/connector-headers.js';
import { ConnectorError } from '../../../connectors/sdk/connector-error.js';
import { scrubText } from '../../../engine/security/redaction.js';
import { resetSecretsForTest } from '../../../engine/security/secret-registry.js';

const now = '2026-01-01T00:00:00.000Z';
const resolver = (secrets: Record<string, string>) => ({ get: async (name: string) => secrets[name] });

describe('{{secrets.NAME}} placeholders', () => {
  afterEach(() => resetSecretsForTest());

  it('finds every placeholder with the field it is in', () => {
    expect(secretUses({ url: 'https://{{secrets.HOST}}/v1', authentication: { token: '{{ secrets.TOKEN }}' }, headers: { list: ['a', 'x {{secrets.TOKEN}}'] } })).toEqual([
      { name: 'HOST', field: 'url' },
      { name: 'TOKEN', field: 'authentication.token' },
      { name: 'TOKEN', field: 'headers.list.1' },
    ]);
  });

  it('resolves into a copy, leaving the inputs as they were, and registers each value for redaction', async () => {
    // given
    const inputs = { authentication: { token: 'Bearer {{secrets.API_TOKEN}}' }, n: 1 };

    // when
    const resolved = await resolveSecrets(inputs, resolver({ API_TOKEN: 'tok-0123456789abcdef' }));

    // then
    expect(resolved).toEqual({ authentication: { token: 'Bearer tok-0123456789abcdef' }, n: 1 });
    expect(inputs.authentication.token).toBe('Bearer {{secrets.API_TOKEN}}');
    expect(scrubText('echo: tok-0123456789abcdef')).toBe('echo: [redacted]');
  });

  it('names an unknown secret and every field that uses it, as a configuration error', async () => {
    const error = await resolveSecrets({ a: '{{secrets.MISSING}}', b: { c: '{{secrets.MISSING}}' } }, resolver({})).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'SECRET_NOT_FOUND', retryable: false, configuration: true });
    expect(error.message).toBe("Secret 'MISSING' used in input 'a', 'b.c' is not set: an administrator adds it (WEFT_SECRET_MISSING in the environment, or the secrets store)");
  });
});

describe('the connector headers', () => {
  const result = { status: 200, headers: {}, body: { order: { id: 'o-1' } } };

  it('resultVariable holds the whole result; resultExpression’s keys become variables, reading fields or `response`', () => {
    expect(resultVariables(result, { resultVariable: 'answer' }, now)).toEqual({ answer: result });
    expect(resultVariables(result, { resultExpression: '={orderId: body.order.id, code: response.status}' }, now)).toEqual({ orderId: 'o-1', code: 200 });
    expect(resultVariables(result, {}, now)).toEqual({});
  });

  it('refuses a resultExpression that gives no context, naming the header', () => {
    expect(() => resultVariables(result, { resultExpression: '=body.order.id' }, now)).toThrow(/Task header 'resultExpression' must give a context/);
    expect(() => resultVariables(result, { resultExpression: '={a: nope(}' }, now)).toThrow(/Task header 'resultExpression' could not be evaluated/);
  });

  it('errorExpression: bpmnError on a failure by error.code; null on a success leaves it alone', () => {
    const headers = { errorExpression: '=if error.code = "404" then bpmnError("NOT_FOUND", "missing", {body: error.variables.response.body}) else null' };
    const failure = { error: { code: '404', message: 'GET x answered 404', type: 'ConnectorError', variables: { response: { body: { e: 1 } } } } };
    expect(examineErrorExpression(failure, headers, 3, now)).toEqual({ kind: 'bpmnError', code: 'NOT_FOUND', message: 'missing', variables: { body: { e: 1 } } });
    expect(examineErrorExpression({ error: { ...failure.error, code: '500' } }, headers, 3, now)).toBeNull();
    expect(examineErrorExpression({ result }, headers, 3, now)).toBeNull();
  });

  it('errorExpression may raise an error on a success, and jobError sets retries (default 0) and backoff', () => {
    expect(examineErrorExpression({ result }, { errorExpression: '=if response.body.order.id = "o-1" then bpmnError("SEEN", "seen before") else null' }, 3, now)).toMatchObject({ kind: 'bpmnError', code: 'SEEN' });
    expect(examineErrorExpression({ result }, { errorExpression: '=jobError("not yet")' }, 3, now)).toEqual({ kind: 'jobError', message: 'not yet', variables: {}, retries: 0, retryBackoffMs: 0 });
    expect(examineErrorExpression({ result }, { errorExpression: '=jobError("again", {}, job.retries - 1, @"PT2S")' }, 3, now)).toMatchObject({ retries: 2, retryBackoffMs: 2000 });
  });

  it('ignores a bpmnError without a code, and refuses any other value, naming the header', () => {
    expect(examineErrorExpression({ result }, { errorExpression: '=bpmnError("", "x")' }, 3, now)).toBeNull();
    expect(examineErrorExpression({ result }, { errorExpression: '={}' }, 3, now)).toBeNull();
    expect(() => examineErrorExpression({ result }, { errorExpression: '="oops"' }, 3, now)).toThrow(/Task header 'errorExpression' must give bpmnError/);
  });

  it('retryBackoff is an ISO 8601 duration', () => {
    expect(retryBackoffMs({ retryBackoff: 'PT30S' })).toBe(30_000);
    expect(retryBackoffMs({ retryBackoff: 'PT0.25S' })).toBe(250);
    expect(retryBackoffMs({})).toBeUndefined();
    expect(() => retryBackoffMs({ retryBackoff: '30s' })).toThrow(/Task header 'retryBackoff' must be an ISO 8601 duration/);
    expect(() => retryBackoffMs({ retryBackoff: 'P1M' })).toThrow(/months and years are not allowed/);
  });
});
