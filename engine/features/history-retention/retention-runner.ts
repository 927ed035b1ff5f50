/**
 * One batch of the history retention (issue #13), in one short transaction:
 * claim up to `batchSize` due instances (SKIP LOCKED, so engines share the
 * work), write their audit chains to the archive and fsync it (when
 * archiving is on), delete every row of theirs, record the batch in the
 * chain of no instance, commit. The archive is on disk before the delete
 * can commit; a failure anywhere rolls the whole batch back.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { HistoryRetentionConfig } from '../../config.js';
import type { WeftMetrics } from '../../observability/metrics/weft-metrics.js';
import { writeArchive } from './archive-writer.js';
import { claimDue, readChains, recordRemoval, removeInstances } from './retention-repository.js';

export interface RetentionBatch {
  removed: number;
  archive: string | null;
}

export interface RetentionRunnerDeps {
  db: Knex;
  settings: HistoryRetentionConfig;
  logger: Logger;
  metrics?: WeftMetrics;
  /** The clock of the archive's file name and header (the TTL itself is measured on Postgres's clock, the same for every engine). */
  now?: () => Date;
}

export class RetentionRunner {
  constructor(private readonly deps: RetentionRunnerDeps) {}

  /** Removes one batch; `removed` 0 when nothing is due. */
  async batch(): Promise<RetentionBatch> {
    const { db, settings } = this.deps;
    const result = await db.transaction(async (trx) => {
      const due = await claimDue(trx, settings.ttlDays, settings.batchSize);
      if (due.length === 0) return null;
      let archive: string | null = null;
      if (settings.archiveDir !== null) archive = await writeArchive(settings.archiveDir, await readChains(trx, due), (this.deps.now ?? (() => new Date()))());
      const ids = due.map((d) => d.id);
      const rows = await removeInstances(trx, ids);
      const ttlDays: Record<string, number> = {};
      for (const d of due) ttlDays[d.processId] = d.ttlDays;
      await recordRemoval(trx, { instances: due.length, ttlDays, archive, instanceIds: ids, rows });
      return { due, archive };
    });
    if (!result) return { removed: 0, archive: null };
    const byProcess: Record<string, number> = {};
    for (const d of result.due) byProcess[d.processId] = (byProcess[d.processId] ?? 0) + 1;
    this.deps.metrics?.historyRemovedCommitted(byProcess);
    this.deps.logger.info({ removed: result.due.length, archive: result.archive }, 'history retention: ended instances removed');
    return { removed: result.due.length, archive: result.archive };
  }
}
