/** How engines work batch operations: the configuration (engine/config.ts) over these defaults. */
import type { BatchOperationsConfig, Config } from '../../config.js';

export const DEFAULT_BATCH_SETTINGS: BatchOperationsConfig = { chunkSize: 50, pollMs: 2000, pauseMs: 0 };

export { MAX_BATCH_ITEMS } from './batch-wire.js';

/**
 * How long an engine's claim on an item holds. Working one item is a few
 * engine commands (milliseconds); an engine that stopped without letting go
 * (killed) leaves its items to others after this.
 */
export const CLAIM_LEASE_MS = 60_000;

/** Attempts at an item before it is failed: an item that keeps failing for reasons that are not the user's (a bug, an outage) ends. */
export const MAX_ITEM_ATTEMPTS = 5;

export function batchSettings(config: Config): BatchOperationsConfig {
  return { ...DEFAULT_BATCH_SETTINGS, ...config.batchOperations };
}

/** The outcome of an item a cancellation stopped. */
export const CANCELED_MESSAGE = 'batch operation canceled';
