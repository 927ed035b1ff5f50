import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../engine/security/logger.js';
import { registerEnvironmentSecrets } from '../../../engine/security/redaction.js';
import { resetSecretsForTest } from '../../../engine/security/secret-registry.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info' }, stream) };
}

describe("Weft's logger", () => {
  beforeEach(() => {
    resetSecretsForTest();
    registerEnvironmentSecrets({ ACME_API_KEY: 'acme-key-0123456789' });
  });

  it("scrubs a serialized error: message, stack and the provider's echoed body", () => {
    // given a provider error as the OpenAI client builds it
    const { lines, logger } = capture();
    const err = Object.assign(new Error('401 Incorrect API key provided: acme-key-0123456789'), {
      status: 401,
      error: { message: 'Incorrect API key provided: acme-key-0123456789' },
      headers: { authorization: 'whatever-it-was' },
    });

    // when
    logger.warn({ err }, 'agent worker error');

    // then
    const [line] = lines;
    expect(line).not.toContain('acme-key-0123456789');
    expect(line).not.toContain('whatever-it-was');
    const entry = JSON.parse(line);
    expect(entry.err.message).toBe('401 Incorrect API key provided: [redacted]');
    expect(entry.err.error.message).toBe('Incorrect API key provided: [redacted]');
    expect(entry.msg).toBe('agent worker error');
  });

  it('censors secret-named fields whatever their value, at any depth, and the headers libraries log', () => {
    // given values Weft has never seen, under names that say what they are
    const { lines, logger } = capture();

    // when
    logger.info(
      {
        apiKey: 'never-seen-before',
        req: { headers: { authorization: 'a', cookie: 'c', 'set-cookie': ['s1', 's2'] } },
        deep: { connection: { options: { password: 'with "quotes" too', host: 'db' } } },
        maxTokens: 5,
      },
      'request',
    );

    // then
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({
      apiKey: '[redacted]',
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', 'set-cookie': '[redacted]' } },
      deep: { connection: { options: { password: '[redacted]', host: 'db' } } },
      maxTokens: 5,
    });
  });

  it('scrubs messages and the bindings of child loggers too', () => {
    const { lines, logger } = capture();
    logger.child({ url: 'postgres://u:pw-123456@db/weft' }).info('using acme-key-0123456789');
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ url: 'postgres://u:[redacted]@db/weft', msg: 'using [redacted]' });
  });
});
