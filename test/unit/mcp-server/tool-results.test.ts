/** What a tool call answers when it fails: the REST error shape, scrubbed; a bug's message never leaves. */
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WeftError } from '../../../engine/errors.js';
import { registerEnvironmentSecrets, registerSecret } from '../../../engine/security/redaction.js';
import { resetSecretsForTest } from '../../../engine/security/secret-registry.js';
import { errorResult, toolResult } from '../../../engine/features/mcp-server/tool-results.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { logger: pino({ level: 'error' }, stream), lines };
}

describe('MCP tool results', () => {
  beforeEach(() => {
    resetSecretsForTest();
    registerEnvironmentSecrets({});
  });

  it('answers JSON text and the same object as structured content', () => {
    expect(toolResult({ ok: true })).toEqual({ content: [{ type: 'text', text: '{"ok":true}' }], structuredContent: { ok: true } });
  });

  it('keeps an engine refusal\'s code, message and details', () => {
    const result = errorResult(new WeftError('VARIABLES_INVALID', 'The form f does not accept: amount', [{ path: 'amount', message: 'too large' }]), capture().logger, 't');
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({ error: { code: 'VARIABLES_INVALID', message: 'The form f does not accept: amount', details: [{ path: 'amount', message: 'too large' }] } });
  });

  it('names each field a zod schema refused', () => {
    const parsed = z.strictObject({ name: z.string(), ttl: z.number().max(5) }).safeParse({ ttl: 9 });
    const result = errorResult(parsed.error, capture().logger, 't');
    expect((result.structuredContent as any).error.message).toBe('Invalid arguments: name: Invalid input: expected string, received undefined; ttl: Too big: expected number to be <=5');
  });

  it('scrubs a secret an error quotes', () => {
    registerSecret('s3cret-value-123');
    const result = errorResult(new WeftError('BAD_REQUEST', 'header was s3cret-value-123'), capture().logger, 't');
    expect(JSON.stringify(result)).not.toContain('s3cret-value-123');
  });

  it('answers a bug with "Internal error" and logs it', () => {
    const { logger, lines } = capture();
    const result = errorResult(new Error('relation "tasks" does not exist at 10.0.0.5'), logger, 'get_instance');
    expect(result.structuredContent).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(lines.join('')).toContain('get_instance');
  });
});
