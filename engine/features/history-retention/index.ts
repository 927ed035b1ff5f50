/**
 * History retention (issue #13): ended instances older than their history
 * time-to-live — the process's own (`camunda:historyTimeToLive`, or the
 * `weft:historyTimeToLive` property; engine/model/history-ttl.ts) or the
 * server's WEFT_HISTORY_TTL_DAYS — are removed with every row of theirs, in
 * bounded batches by every engine (retention-loop.ts, retention-runner.ts),
 * their audit chains archived first when WEFT_HISTORY_ARCHIVE_DIR is set.
 * See docs/history-retention.md.
 */
import type { Feature } from '../types.js';
import { ensureArchiveDir } from './archive-writer.js';
import { startRetentionLoop } from './retention-loop.js';
import { RetentionRunner } from './retention-runner.js';
import { retentionSettings } from './retention-settings.js';

export const historyRetentionFeature: Feature = {
  name: 'history-retention',
  async start(ctx) {
    const settings = retentionSettings(ctx.config);
    // Fail at start, naming the directory, rather than at the first batch.
    if (settings.archiveDir !== null) await ensureArchiveDir(settings.archiveDir);
    const runner = new RetentionRunner({ db: ctx.db, settings, logger: ctx.logger, metrics: ctx.metrics });
    const loop = startRetentionLoop(runner, ctx.logger, settings);
    return () => loop.stop();
  },
};
