import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConnections } from '../../../engine/connections/load-connections.js';
import { connectionSecretValues, MissingCredentialError, referencedVariables, resolveReferences } from '../../../engine/connections/env-references.js';
import { loadConfig } from '../../../engine/config.js';

describe('server connections', () => {
  it('has a default connection per provider, so that no configuration is needed', () => {
    // when
    const { connections, problems } = loadConnections({ OLLAMA_BASE_URL: 'http://gpu-box:11434' });

    // then
    expect(problems).toEqual([]);
    expect(connections).toEqual({
      openai: { kind: 'openai', baseUrl: 'https://api.openai.com/v1', credentials: { apiKey: '{{env.OPENAI_API_KEY}}' } },
      anthropic: { kind: 'anthropic', baseUrl: 'https://api.anthropic.com', credentials: { apiKey: '{{env.ANTHROPIC_API_KEY}}' } },
      ollama: { kind: 'ollama', baseUrl: 'http://gpu-box:11434' },
    });
  });

  it('reads the file named by WEFT_CONNECTIONS_FILE, then WEFT_CONNECTIONS over it', () => {
    // given
    const dir = mkdtempSync(join(tmpdir(), 'weft-connections-'));
    try {
      const file = join(dir, 'connections.json');
      writeFileSync(file, JSON.stringify({ kb: { kind: 'mcp', command: 'kb-server', env: { KB_TOKEN: '{{env.KB_TOKEN}}' } }, azure: { kind: 'openai', baseUrl: 'https://a.example/v1' } }));

      // when
      const { connections, problems } = loadConnections({ WEFT_CONNECTIONS_FILE: file, WEFT_CONNECTIONS: JSON.stringify({ azure: { kind: 'openai', baseUrl: 'https://b.example/v1', credentials: { apiKey: '{{env.AZURE_KEY}}' } } }) });

      // then
      expect(problems).toEqual([]);
      expect(connections.kb).toEqual({ kind: 'mcp', command: 'kb-server', env: { KB_TOKEN: '{{env.KB_TOKEN}}' } });
      expect(connections.azure).toEqual({ kind: 'openai', baseUrl: 'https://b.example/v1', credentials: { apiKey: '{{env.AZURE_KEY}}' } });
      expect(referencedVariables(connections)).toEqual(['ANTHROPIC_API_KEY', 'AZURE_KEY', 'KB_TOKEN', 'OPENAI_API_KEY']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the variable, the connection and the field of every problem', () => {
    // when
    const { problems } = loadConnections({
      WEFT_CONNECTIONS: JSON.stringify({
        kb: { kind: 'mcp', url: 'ftp://kb' },
        paid: { kind: 'openai', credentials: { apiKey: 'sk-literal-secret' } },
        both: { kind: 'mcp', url: 'http://x', command: 'y' },
        odd: { kind: 'smtp' },
        openai: { kind: 'anthropic' },
      }),
    });

    // then
    expect(problems).toEqual([
      'WEFT_CONNECTIONS: kb.url: must be an http:// or https:// URL',
      'WEFT_CONNECTIONS: paid.credentials.apiKey: must refer to an environment variable as {{env.NAME}}, not hold the secret itself',
      'WEFT_CONNECTIONS: both.url: an mcp connection needs either url (Streamable HTTP) or command (stdio), not both',
      expect.stringMatching(/^WEFT_CONNECTIONS: odd\.kind: /),
    ]);
  });

  it('keeps the provider names for connections of that kind', () => {
    expect(loadConnections({ WEFT_CONNECTIONS: JSON.stringify({ openai: { kind: 'anthropic' } }) }).problems).toEqual([
      "connection 'openai': must be of kind 'openai' (definitions that give only provider: openai use it); name your connection differently",
    ]);
  });

  it('says which source is not JSON or missing', () => {
    expect(loadConnections({ WEFT_CONNECTIONS: '{nope', WEFT_CONNECTIONS_FILE: '/nonexistent/weft.json' }).problems).toEqual([
      'WEFT_CONNECTIONS_FILE (/nonexistent/weft.json): no such file',
      expect.stringMatching(/^WEFT_CONNECTIONS: not valid JSON/),
    ]);
  });

  it('is part of the configuration: loadConfig refuses to start on a bad connection, and reads the inline settings', () => {
    expect(() => loadConfig({ WEFT_CONNECTIONS: '{"kb": {"kind": "mcp"}}' })).toThrow(/Invalid configuration:\n {2}WEFT_CONNECTIONS: kb\.url: an mcp connection needs either url/);
    expect(() => loadConfig({ WEFT_ALLOW_INLINE_MCP_COMMANDS: 'yes' })).toThrow(/WEFT_ALLOW_INLINE_MCP_COMMANDS: must be true or false/);
    expect(loadConfig({}).reach!.inline).toEqual({ mcpCommands: false, mcpUrls: false });
    expect(loadConfig({ WEFT_ALLOW_INLINE_MCP_COMMANDS: 'true' }).reach!.inline).toEqual({ mcpCommands: true, mcpUrls: false });
  });
});

describe('{{env.NAME}} references', () => {
  it('are resolved at use, inside text too; an unset variable names the connection, the field and the variable', () => {
    const env = { KB_TOKEN: 'kb-secret-value' };
    expect(resolveReferences('Bearer {{env.KB_TOKEN}}', { connection: 'kb', field: 'credentials.headers.authorization' }, env)).toBe('Bearer kb-secret-value');
    expect(() => resolveReferences('{{env.NOPE}}', { connection: 'kb', field: 'env.X' }, env)).toThrow(MissingCredentialError);
    expect(() => resolveReferences('{{env.NOPE}}', { connection: 'kb', field: 'env.X' }, env)).toThrow("connection 'kb': env.X refers to the environment variable NOPE, which is not set on this server");
  });

  it('list the values the redaction must scrub (long enough to be secrets)', () => {
    const connections = { kb: { kind: 'mcp' as const, command: 'kb', env: { KB_PASS: '{{env.ACME}}', MODE: '{{env.MODE}}' } } };
    expect(connectionSecretValues(connections, { ACME: 'acme-credential-123', MODE: 'on' })).toEqual(['acme-credential-123']);
  });
});

describe('server connections: a mistake in their settings is named at start', () => {
  it('refuses an OLLAMA_BASE_URL that is not an http(s) URL, as it would any connection URL', () => {
    expect(loadConnections({ OLLAMA_BASE_URL: 'localhost:11434' }).problems).toEqual(['OLLAMA_BASE_URL: must be an http:// or https:// URL']);
  });

  it('says a connections file cannot be read, not that it is bad JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-connections-'));
    try {
      expect(loadConnections({ WEFT_CONNECTIONS_FILE: dir }).problems).toEqual([`WEFT_CONNECTIONS_FILE (${dir}): cannot be read (EISDIR)`]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
