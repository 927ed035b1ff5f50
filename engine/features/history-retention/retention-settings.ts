/** How engines apply the history retention: the configuration (engine/config.ts) over these defaults. */
import type { Config, HistoryRetentionConfig } from '../../config.js';

export const DEFAULT_RETENTION_SETTINGS: HistoryRetentionConfig = { ttlDays: null, batchSize: 500, pauseMs: 1000, pollMs: 60_000, archiveDir: null };

export function retentionSettings(config: Config): HistoryRetentionConfig {
  return { ...DEFAULT_RETENTION_SETTINGS, ...config.historyRetention };
}
