/**
 * One named connection: a model provider, an MCP server or an A2A agent an administrator
 * set up, with how to authenticate. Definitions name a connection; they never
 * hold its endpoint or its credentials.
 *
 * Credentials are references to the server's environment, `{{env.NAME}}`, not
 * values: the configuration can be shown, logged or committed without leaking
 * a key, the value stays in one place (the variable) where the redaction of
 * secret-named variables finds it, and it is read only at the moment of use
 * (env-references.ts).
 */
import { z } from 'zod';

/** `{{env.NAME}}` anywhere in a string. */
export const ENV_REFERENCE = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const hasReference = (value: string) => new RegExp(ENV_REFERENCE.source).test(value);

/** A credential must come from the environment: `{{env.NAME}}` (optionally inside text, `Bearer {{env.KB_TOKEN}}`). */
const credential = z.string().refine(hasReference, { message: 'must refer to an environment variable as {{env.NAME}}, not hold the secret itself' });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const provider = <K extends 'openai' | 'anthropic'>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      /** Default: the provider's official endpoint. */
      baseUrl: httpUrl.optional(),
      credentials: z.object({ apiKey: credential }).strict().optional(),
    })
    .strict();

const ollama = z
  .object({
    kind: z.literal('ollama'),
    baseUrl: httpUrl.optional(),
    /** Headers for an Ollama behind an authenticating proxy. */
    credentials: z.object({ headers: z.record(z.string(), credential) }).strict().optional(),
  })
  .strict();

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** An MCP server: Streamable HTTP at `url`, or a stdio process the server starts with `command`. */
const mcp = z
  .object({
    kind: z.literal('mcp'),
    url: httpUrl.optional(),
    /** HTTP only: headers sent to the server, e.g. `{"authorization": "Bearer {{env.KB_TOKEN}}"}`. */
    credentials: z.object({ headers: z.record(z.string(), credential) }).strict().optional(),
    /** stdio: an administrator wrote it, so it may run a command. */
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    /**
     * stdio: variables for the process beyond the minimal set
     * (connectors/agents/mcp-environment.ts). Values are text; `{{env.NAME}}`
     * in them is read from the server's environment when the process starts.
     */
    env: z.record(envName, z.string()).optional(),
    cwd: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.url === !c.command) ctx.addIssue({ code: 'custom', path: ['url'], message: 'an mcp connection needs either url (Streamable HTTP) or command (stdio), not both' });
    if (c.url) for (const key of ['args', 'env', 'cwd'] as const) if (c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is for a stdio server (command), not a url` });
    if (c.command && c.credentials) ctx.addIssue({ code: 'custom', path: ['credentials'], message: 'credentials.headers are for a url; pass a stdio server its secrets in env as {{env.NAME}}' });
  });

/**
 * A remote A2A agent: where its Agent Card is, and the headers every request
 * to it carries (the card fetch and the JSON-RPC calls alike).
 */
const a2a = z
  .object({
    kind: z.literal('a2a'),
    /** The card's full URL, e.g. `https://agents.acme.com/.well-known/agent-card.json`. */
    agentCardUrl: httpUrl,
    credentials: z.object({ headers: z.record(z.string(), credential) }).strict().optional(),
    /** A person of these groups approves each task before it is sent (connectors/a2a/a2a-approval.ts). */
    approval: z.object({ candidateGroups: z.array(z.string().min(1)).min(1), dueInHours: z.number().positive().optional() }).strict().optional(),
  })
  .strict();

export const connectionSchema = z.discriminatedUnion('kind', [provider('openai'), provider('anthropic'), ollama, mcp, a2a]);

export const connectionsSchema = z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'letters, digits, _ . - only'), connectionSchema);

export type Connection = z.infer<typeof connectionSchema>;
export type ModelProviderKind = 'openai' | 'anthropic' | 'ollama';
export type ModelConnection = Extract<Connection, { kind: ModelProviderKind }>;
export type McpConnection = Extract<Connection, { kind: 'mcp' }>;
export type A2aConnection = Extract<Connection, { kind: 'a2a' }>;
export type Connections = Record<string, Connection>;

