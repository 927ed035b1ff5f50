import { z } from 'zod';
import { loadConnections } from './connections/load-connections.js';
import type { ServerReach } from './connections/server-reach.js';
import { DEFAULT_FEEL_LIMITS, type FeelLimits } from './runtime/feel-limits.js';
import { loadSecretKeys, type SecretKeys } from './secrets/secret-keys.js';
import { addressPolicy } from '../connectors/http/address-policy.js';
import { parseRedisUrl } from './queue/redis-url.js';
import { parseTtlDays } from './model/history-ttl.js';

/**
 * Weft's configuration, read from the environment once at start-up.
 * Every setting has a default that works against Postgres and Redis on their
 * usual local ports, so `npm start` needs no configuration on a dev machine.
 */
const ConfigSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/weft' })
    .default('postgres://postgres@127.0.0.1:5432/weft'),
  // One server (redis://, rediss://) or a Redis Cluster's nodes (redis-cluster://host1:7000,host2:7001): queue/redis-url.ts.
  REDIS_URL: redisUrlSetting(),
  WEFT_ADMIN_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  WEFT_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'may hold letters, digits, _ . - only').default('weft'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // What agent definitions may name inline (connections/server-reach.ts); off unless an administrator says so.
  WEFT_TRUST_PROXY: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  WEFT_ALLOW_INLINE_MCP_COMMANDS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  WEFT_ALLOW_INLINE_MCP_URLS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  // Bounds on one evaluation of a user's FEEL expression (engine/runtime/feel-limits.ts).
  // At most a minute: node:vm refuses timeouts past 2^32 ms, and no one evaluation should hold the engine longer.
  WEFT_FEEL_TIME_LIMIT_MS: positiveInt().max(60_000, 'must be at most 60000 (one minute)').default(DEFAULT_FEEL_LIMITS.timeMs),
  WEFT_FEEL_MAX_ITEMS: positiveInt().default(DEFAULT_FEEL_LIMITS.maxItems),
  WEFT_FEEL_MAX_STRING_LENGTH: positiveInt().default(DEFAULT_FEEL_LIMITS.maxStringLength),
  WEFT_FEEL_MAX_DEPTH: positiveInt().default(DEFAULT_FEEL_LIMITS.maxDepth),
  // Longest wait between two looks for due timers (engine/timers/timer-loop.ts).
  WEFT_TIMER_POLL_MS: positiveInt().max(60_000, 'must be at most 60000 (one minute)').default(500),
  // The example processes' workers (connectors/examples), job types `example.*`.
  WEFT_EXAMPLE_WORKERS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  // The built-in connectors (connectors/): run in this process, whom the HTTP connector may call beyond public addresses, its response limit.
  WEFT_CONNECTORS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  WEFT_CONNECTOR_ALLOW: z
    .string()
    .default('')
    .superRefine((text, ctx) => {
      for (const problem of addressPolicy(text.split(',')).problems) ctx.addIssue({ code: 'custom', message: `${problem} (hosts and CIDRs, comma-separated, e.g. 127.0.0.1,10.0.0.0/8)` });
    }),
  WEFT_CONNECTOR_MAX_RESPONSE_BYTES: positiveInt().default(5 * 1024 * 1024),
  // Batch operations (engine/features/batch-operations): items an engine claims at once, its look for new work, its pause between chunks.
  WEFT_BATCH_CHUNK_SIZE: positiveInt().max(1000, 'must be at most 1000').default(50),
  WEFT_BATCH_POLL_MS: positiveInt().max(60_000, 'must be at most 60000 (one minute)').default(2000),
  WEFT_BATCH_PAUSE_MS: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0').max(60_000, 'must be at most 60000 (one minute)').default(0),
  // History retention (engine/features/history-retention): unset TTL keeps ended instances forever (a process may set its own).
  // Parsed once, to days or null; empty counts as unset (a compose file's `WEFT_HISTORY_TTL_DAYS=`).
  WEFT_HISTORY_TTL_DAYS: z
    .string()
    .optional()
    .transform((text, ctx): number | null => {
      if (text === undefined || text.trim() === '') return null;
      const parsed = parseTtlDays(text);
      if ('problem' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }
      return parsed.days;
    }),
  WEFT_HISTORY_BATCH_SIZE: positiveInt().max(2000, 'must be at most 2000').default(500),
  WEFT_HISTORY_PAUSE_MS: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0').max(60_000, 'must be at most 60000 (one minute)').default(1000),
  WEFT_HISTORY_POLL_MS: positiveInt().max(86_400_000, 'must be at most 86400000 (one day)').default(60_000),
  WEFT_HISTORY_ARCHIVE_DIR: z.string().optional(),
});

/** REDIS_URL as the engine and every worker process read it: one server or a cluster's nodes, default the local server. */
export function redisUrlSetting() {
  return z
    .string()
    .default('redis://127.0.0.1:6379')
    .superRefine((text, ctx) => {
      const parsed = parseRedisUrl(text);
      if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
    });
}

function positiveInt() {
  return z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').positive('must be at least 1');
}

export interface Config {
  port: number;
  databaseUrl: string;
  /** One server (redis://, rediss://) or a Redis Cluster by some of its nodes (redis-cluster://h1:7000,h2:7001): queue/redis-url.ts. */
  redisUrl: string;
  /** Set when the operator chose the token; otherwise one is generated and kept in `settings`. */
  adminToken?: string;
  queuePrefix: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Behind a TLS-terminating proxy: `X-Forwarded-Proto: https` counts as TLS (Secure cookies, HSTS). */
  trustProxy?: boolean;
  /** Connections and inline permissions for agent definitions (WEFT_CONNECTIONS…); absent: the defaults (reachOf). */
  reach?: ServerReach;
  /** Bounds on FEEL evaluation for this process; defaults when absent. */
  feelLimits?: FeelLimits;
  /** Longest wait between two looks for due timers, in ms (default 500). */
  timerPollMs?: number;
  /** Run the example processes' workers in the engine process (default on; false: WEFT_EXAMPLE_WORKERS=off). */
  exampleWorkers?: boolean;
  /** The secrets store's keys (WEFT_SECRETS_KEY, WEFT_SECRETS_KEY_PREVIOUS); absent: none, so the store refuses writes. */
  secretKeys?: SecretKeys;
  /** The built-in connectors; absent: on, public addresses only, 5 MB responses. */
  connectors?: ConnectorsConfig;
  /** How engines work batch operations; absent: the defaults (engine/features/batch-operations/batch-settings.ts). */
  batchOperations?: Partial<BatchOperationsConfig>;
  /** History retention; absent: keep ended instances forever unless their process sets a TTL (engine/features/history-retention/retention-settings.ts). */
  historyRetention?: Partial<HistoryRetentionConfig>;
}

export interface HistoryRetentionConfig {
  /** Days an ended instance is kept when its process sets none (WEFT_HISTORY_TTL_DAYS; `30` or `P30D`); null: forever. */
  ttlDays: number | null;
  /** Instances removed in one transaction (WEFT_HISTORY_BATCH_SIZE, default 500). */
  batchSize: number;
  /** Pause between two full batches, so removal leaves room for the engine's work (WEFT_HISTORY_PAUSE_MS, default 1000). */
  pauseMs: number;
  /** Wait between looks once nothing is due (WEFT_HISTORY_POLL_MS, default 60000). */
  pollMs: number;
  /** Where each batch's audit chains are written, durably, before the batch is removed (WEFT_HISTORY_ARCHIVE_DIR); null: not archived. */
  archiveDir: string | null;
}

export interface BatchOperationsConfig {
  /** Items one engine claims and works in one go (WEFT_BATCH_CHUNK_SIZE, default 50). */
  chunkSize: number;
  /** Longest wait before an engine looks for batch work it was not told of: another engine's batch, one left by a stopped engine (WEFT_BATCH_POLL_MS, default 2000). */
  pollMs: number;
  /** Pause between two chunks of one engine, so a large batch leaves room for the engine's other work (WEFT_BATCH_PAUSE_MS, default 0). */
  pauseMs: number;
}

export interface ConnectorsConfig {
  /** Run the connector workers in the engine process (WEFT_CONNECTORS=off: they run elsewhere, `npx weft connectors`). */
  enabled: boolean;
  /** Hosts and CIDRs the HTTP connector may call although they are loopback or private (WEFT_CONNECTOR_ALLOW). */
  allow: string[];
  /** The largest response the HTTP connector reads, in bytes. */
  maxResponseBytes: number;
}

/** Reads and validates the configuration; throws one Error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`PORT=`) means "not set", as shells and compose files often pass them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ConfigSchema.safeParse(present);
  const connections = loadConnections(present);
  const secrets = loadSecretKeys(present);
  const problems = [...(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []), ...connections.problems, ...secrets.problems];
  if (!parsed.success || problems.length > 0) throw new Error(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const c = parsed.data;
  return {
    port: c.PORT,
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    adminToken: c.WEFT_ADMIN_TOKEN,
    queuePrefix: c.WEFT_QUEUE_PREFIX,
    logLevel: c.LOG_LEVEL,
    trustProxy: c.WEFT_TRUST_PROXY === 'true',
    reach: {
      connections: connections.connections,
      inline: { mcpCommands: c.WEFT_ALLOW_INLINE_MCP_COMMANDS === 'true', mcpUrls: c.WEFT_ALLOW_INLINE_MCP_URLS === 'true' },
    },
    feelLimits: {
      timeMs: c.WEFT_FEEL_TIME_LIMIT_MS,
      maxItems: c.WEFT_FEEL_MAX_ITEMS,
      maxStringLength: c.WEFT_FEEL_MAX_STRING_LENGTH,
      maxDepth: c.WEFT_FEEL_MAX_DEPTH,
    },
    timerPollMs: c.WEFT_TIMER_POLL_MS,
    exampleWorkers: c.WEFT_EXAMPLE_WORKERS === 'on',
    secretKeys: secrets.keys.current || secrets.keys.previous.length ? secrets.keys : undefined,
    connectors: {
      enabled: c.WEFT_CONNECTORS === 'on',
      allow: c.WEFT_CONNECTOR_ALLOW.split(',').map((e) => e.trim()).filter(Boolean),
      maxResponseBytes: c.WEFT_CONNECTOR_MAX_RESPONSE_BYTES,
    },
    batchOperations: { chunkSize: c.WEFT_BATCH_CHUNK_SIZE, pollMs: c.WEFT_BATCH_POLL_MS, pauseMs: c.WEFT_BATCH_PAUSE_MS },
    historyRetention: {
      ttlDays: c.WEFT_HISTORY_TTL_DAYS,
      batchSize: c.WEFT_HISTORY_BATCH_SIZE,
      pauseMs: c.WEFT_HISTORY_PAUSE_MS,
      pollMs: c.WEFT_HISTORY_POLL_MS,
      archiveDir: c.WEFT_HISTORY_ARCHIVE_DIR ?? null,
    },
  };
}
