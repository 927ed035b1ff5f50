import { beforeEach, describe, expect, it } from 'vitest';
import { redact, registerEnvironmentSecrets, registerSecret, scrubError, scrubJson, scrubStrings, scrubText } from '../../../engine/security/redaction.js';
import { resetSecretsForTest } from '../../../engine/security/secret-registry.js';

describe('the value scrub', () => {
  beforeEach(() => {
    resetSecretsForTest();
    // Only the variables of each test count, not the machine's.
    registerEnvironmentSecrets({});
  });

  it('takes the values of secret-looking environment variables and the passwords of URLs', () => {
    // given
    registerEnvironmentSecrets({
      ACME_API_KEY: 'acme-key-0123456789',
      GITHUB_TOKEN: 'plain-token-abcdefgh',
      STRIPE_SECRET: 'stripe-secret-value',
      DB_PASSWORD_FILE_CONTENT: 'pw-in-a-file-123',
      WEFT_ADMIN_TOKEN: 'admin-token-xyz123',
      DATABASE_URL: 'postgres://weft:db%2Fpass%40word@db:5432/weft',
      REDIS_URL: 'redis://:redis-password-1@cache:6379',
      HOME: '/home/someone-long',
      LOG_LEVEL: 'info',
    });

    // when
    const text = scrubText(
      'acme-key-0123456789 plain-token-abcdefgh stripe-secret-value pw-in-a-file-123 admin-token-xyz123 db/pass@word db%2Fpass%40word redis-password-1 /home/someone-long',
    );

    // then
    expect(text).toBe('[redacted] [redacted] [redacted] [redacted] [redacted] [redacted] [redacted] [redacted] /home/someone-long');
  });

  it('takes registered values, but none shorter than 8 characters (they would redact ordinary words)', () => {
    // given
    registerSecret('generated-admin-token');
    registerSecret('short');

    // then
    expect(scrubText('token generated-admin-token is short')).toBe('token [redacted] is short');
  });

  it('replaces the longest secret first when one contains another', () => {
    registerSecret('abcdefgh');
    registerSecret('abcdefgh-and-more');
    expect(scrubText('x abcdefgh-and-more y abcdefgh')).toBe('x [redacted] y [redacted]');
  });
});

describe('the shape scrub', () => {
  beforeEach(() => {
    resetSecretsForTest();
    registerEnvironmentSecrets({});
  });

  it.each([
    ['401 Incorrect API key provided: sk-proj-abc123***********xyz.', '401 Incorrect API key provided: [redacted]'],
    ['key sk-ant-api03-AbCdEf_123456 used', 'key [redacted] used'],
    [`token weft_${'A'.repeat(43)} used`, 'token [redacted] used'],
    [`ghp_${'a1'.repeat(18)} and github_pat_${'B_'.repeat(20)}`, '[redacted] and [redacted]'],
    ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer [redacted]'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
    ['connect postgres://weft:s3cret@db:5432/weft failed', 'connect postgres://weft:[redacted]@db:5432/weft failed'],
    ['connect redis://:s3cret@cache:6379 failed', 'connect redis://:[redacted]@cache:6379 failed'],
  ])('%s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it.each(['task-abcdefghij', 'weft_test_0123abcd', 'http://host:8080/path', 'a Bearer of news', 'risk-assessment done'])('leaves %s alone', (input) => {
    expect(scrubText(input)).toBe(input);
  });
});

describe('scrubbing serialized JSON', () => {
  beforeEach(() => {
    resetSecretsForTest();
    registerEnvironmentSecrets({});
  });

  it('finds a secret with quotes and backslashes as JSON escapes it, and the text stays valid JSON', () => {
    // given
    registerSecret('quo"te\\back-slash');
    const rows = [{ message: 'got quo"te\\back-slash from sk-abcdefghijkl', nested: { url: 'redis://u:pw123456@h' } }];

    // when
    const json = scrubJson(JSON.stringify(rows));

    // then
    expect(JSON.parse(json)).toEqual([{ message: 'got [redacted] from [redacted]', nested: { url: 'redis://u:[redacted]@h' } }]);
  });
});

describe('structured redaction', () => {
  beforeEach(() => {
    resetSecretsForTest();
    registerEnvironmentSecrets({ ACME_API_KEY: 'acme-key-0123456789' });
  });

  it('redact replaces values under secret-looking keys and scrubs every other string', () => {
    const input = { headers: { Authorization: 'Bearer x', cookie: 'sid=1' }, args: [{ api_key: 'k', pin: 1234, passwordChanged: true, note: 'uses acme-key-0123456789' }], maxTokens: 5 };
    expect(redact(input)).toEqual({ headers: { Authorization: '[redacted]', cookie: '[redacted]' }, args: [{ api_key: '[redacted]', pin: 1234, passwordChanged: true, note: 'uses [redacted]' }], maxTokens: 5 });
  });

  it("scrubStrings keeps the user's keys and values, but not a known secret", () => {
    expect(scrubStrings({ token: 'next-page-7', list: ['acme-key-0123456789'] })).toEqual({ token: 'next-page-7', list: ['[redacted]'] });
  });

  it('scrubError scrubs message and stack in place', () => {
    const error = scrubError(new Error('401 for acme-key-0123456789'));
    expect(error.message).toBe('401 for [redacted]');
    expect(error.stack).not.toContain('acme-key-0123456789');
  });
});
