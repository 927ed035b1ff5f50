/**
 * One engine's share of the batch work: a pass claims a chunk of pending
 * items (batch-repository.ts: SKIP LOCKED and a lease under a token of this
 * pass), applies each item's kind through the engine's API, and records
 * each outcome as soon as it is known.
 *
 * The engine's commands commit in transactions of their own, so an item's
 * effect and its row cannot commit together; an engine that stops between
 * the two leaves the item pending, and it is tried again (after the lease)
 * by whichever engine comes next. Every kind is written to be harmless when
 * applied again (batch-kind.ts). A refusal by the engine (a WeftError) fails
 * the item with its code and message; anything else (a bug, an outage) is
 * tried again later, up to MAX_ITEM_ATTEMPTS.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { WeftError } from '../../errors.js';
import { scrubText } from '../../security/redaction.js';
import type { EngineApi } from '../../service/types.js';
import type { BatchRepository, ClaimedItem } from './batch-repository.js';
import { CANCELED_MESSAGE, CLAIM_LEASE_MS, MAX_ITEM_ATTEMPTS } from './batch-settings.js';
import { kindOf } from './kinds/index.js';

/** Who the engine's audit names for a batch's effects. */
export const batchActor = (operationId: string) => `batch:${operationId}`;

export interface PassResult {
  /** Items claimed in this pass (a full chunk: there may be more). */
  claimed: number;
  /** Items that ended (done, failed or skipped). */
  finished: number;
}

export class BatchRunner {
  private stopping = false;

  constructor(
    private readonly repo: BatchRepository,
    private readonly engine: EngineApi,
    private readonly logger: Logger,
    private readonly chunkSize: number,
    private readonly leaseMs = CLAIM_LEASE_MS,
  ) {}

  /** Stops between two items: what is claimed and not started is let go at once. */
  stop(): void {
    this.stopping = true;
  }

  async pass(): Promise<PassResult> {
    let finished = await this.repo.skipPendingOfCanceled();
    const token = randomUUID();
    const items = await this.repo.claim(token, this.chunkSize, this.leaseMs);
    for (let i = 0; i < items.length; i++) {
      if (this.stopping) {
        await this.repo.release(items.slice(i), token);
        break;
      }
      // A batch canceled since the claim: the items this pass holds are stopped too, not worked.
      if (await this.repo.isCanceled(items[i].operationId)) {
        if (await this.repo.finish(items[i], token, 'skipped', CANCELED_MESSAGE)) finished++;
        continue;
      }
      if (await this.work(items[i], token)) finished++;
    }
    return { claimed: items.length, finished };
  }

  private async work(item: ClaimedItem, token: string): Promise<boolean> {
    const actor = batchActor(item.operationId);
    const kind = kindOf(item.kind);
    try {
      const outcome = await kind.apply(item.instanceId, item.parameters, {
        engine: this.engine,
        actor,
        retried: item.attempts > 1,
        appliedBefore: (instanceId, type) => this.repo.audited(instanceId, type, actor),
      });
      return await this.repo.finish(item, token, outcome.state, outcome.message);
    } catch (error) {
      if (error instanceof WeftError) return this.repo.finish(item, token, 'failed', `${error.code}: ${error.message}`);
      const message = scrubText(error instanceof Error ? error.message : String(error));
      this.logger.warn({ err: error, batchOperationId: item.operationId, instanceId: item.instanceId, attempt: item.attempts }, 'batch operation item failed; will try again');
      if (item.attempts >= MAX_ITEM_ATTEMPTS) return this.repo.finish(item, token, 'failed', `gave up after ${item.attempts} attempts: ${message}`);
      // Backing off: an outage is not over in a moment.
      await this.repo.retryLater(item, token, 1000 * 2 ** item.attempts, `attempt ${item.attempts} failed: ${message}`).catch(() => undefined);
      return false;
    }
  }
}
