/**
 * Which format the server logs in (pretty at a terminal, JSON otherwise), and
 * that the pretty stream prints what redaction left: a secret is censored
 * whichever format is chosen.
 */
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger, logFormatFor, prettyStream } from '../../../engine/security/logger.js';
import { REDACTED, registerEnvironmentSecrets } from '../../../engine/security/redaction.js';
import { resetSecretsForTest } from '../../../engine/security/secret-registry.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { chunks, stream };
}

describe('the log format', () => {
  beforeEach(() => {
    resetSecretsForTest();
    registerEnvironmentSecrets({ ACME_API_KEY: 'acme-key-0123456789' });
  });

  it('is pretty when stdout is a terminal, JSON when it is a file, a pipe or unknown', () => {
    expect(logFormatFor({ isTTY: true })).toBe('pretty');
    expect(logFormatFor({ isTTY: false })).toBe('json');
    expect(logFormatFor({})).toBe('json');
  });

  it('prints readable lines through pino-pretty, with secrets still redacted', () => {
    // given the stream a terminal would get (no colours, to read it here)
    const { chunks, stream } = sink();
    const logger = createLogger({ level: 'info' }, prettyStream(stream, false));

    // when a line carries a known secret, a secret-named field and an authorization header
    logger.warn({ password: 'hunter2-hunter2', req: { headers: { authorization: 'Bearer tok-abcdef' } }, detail: 'key acme-key-0123456789 refused' }, 'provider said no');

    // then
    const out = chunks.join('');
    expect(out).toMatch(/WARN.*provider said no/);
    expect(() => JSON.parse(out)).toThrow(); // not a JSON line
    expect(out).not.toContain('acme-key-0123456789');
    expect(out).not.toContain('hunter2-hunter2');
    expect(out).not.toContain('tok-abcdef');
    expect(out).toContain(REDACTED);
  });
});
