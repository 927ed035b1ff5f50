/**
 * The server's connections, read once at start: the built-in defaults, then
 * the JSON file named by WEFT_CONNECTIONS_FILE, then the JSON in
 * WEFT_CONNECTIONS (a name given later replaces the earlier connection of
 * that name). Validated with zod; a problem names the variable, the
 * connection and the field (`WEFT_CONNECTIONS: kb.url: must be an http:// or
 * https:// URL`).
 */
import { readFileSync } from 'node:fs';
import { connectionsSchema, type Connections, type ModelProviderKind } from './connection-schema.js';

/** The official endpoints, used when a provider connection names no baseUrl. */
export const OFFICIAL_BASE_URLS: Record<ModelProviderKind, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  ollama: 'http://127.0.0.1:11434',
};

/**
 * So that `npm start` needs no configuration: one connection per provider,
 * named like it (a definition's `provider: openai` means the connection
 * `openai`), with the key of the usual variable.
 */
export function defaultConnections(env: NodeJS.ProcessEnv): Connections {
  return {
    openai: { kind: 'openai', baseUrl: OFFICIAL_BASE_URLS.openai, credentials: { apiKey: '{{env.OPENAI_API_KEY}}' } },
    anthropic: { kind: 'anthropic', baseUrl: OFFICIAL_BASE_URLS.anthropic, credentials: { apiKey: '{{env.ANTHROPIC_API_KEY}}' } },
    ollama: { kind: 'ollama', baseUrl: env.OLLAMA_BASE_URL || OFFICIAL_BASE_URLS.ollama },
  };
}

/** Returns the connections, or the list of problems (each naming where it is). */
export function loadConnections(env: NodeJS.ProcessEnv): { connections: Connections; problems: string[] } {
  const problems: string[] = [];
  const connections: Connections = defaultConnections(env);
  const sources: { name: string; text: () => string }[] = [];
  if (env.WEFT_CONNECTIONS_FILE) sources.push({ name: `WEFT_CONNECTIONS_FILE (${env.WEFT_CONNECTIONS_FILE})`, text: () => readFileSync(env.WEFT_CONNECTIONS_FILE!, 'utf8') });
  if (env.WEFT_CONNECTIONS) sources.push({ name: 'WEFT_CONNECTIONS', text: () => env.WEFT_CONNECTIONS! });
  for (const source of sources) {
    let text: string;
    try {
      text = source.text();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(`${source.name}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`}`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push(`${source.name}: not valid JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = connectionsSchema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${source.name}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
      continue;
    }
    Object.assign(connections, parsed.data);
  }
  // OLLAMA_BASE_URL goes into the default connection unchecked by the schema above: checked like any connection's URL.
  const ollama = connectionsSchema.safeParse({ ollama: connections.ollama });
  if (!ollama.success && env.OLLAMA_BASE_URL) problems.push(`OLLAMA_BASE_URL: ${ollama.error.issues[0].message}`);
  // `provider: X` in a definition means the connection named X: it must be of that kind.
  for (const kind of Object.keys(OFFICIAL_BASE_URLS) as ModelProviderKind[]) {
    if (connections[kind].kind !== kind) problems.push(`connection '${kind}': must be of kind '${kind}' (definitions that give only provider: ${kind} use it); name your connection differently`);
  }
  return { connections, problems };
}
