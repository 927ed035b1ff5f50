/** What the API answers for a batch operation and its items, from their rows. */
import type { BatchItemView, BatchOperationView } from './batch-wire.js';

export type { BatchItemView, BatchOperationView, BatchState, ItemState } from './batch-wire.js';

export function operationView(row: Record<string, any>): BatchOperationView {
  return {
    id: row.id,
    kind: row.kind,
    parameters: row.parameters,
    filter: row.filter ?? null,
    actor: row.actor,
    reason: row.reason ?? null,
    state: row.state,
    total: row.total,
    done: row.done,
    failed: row.failed,
    skipped: row.skipped,
    pending: row.total - row.done - row.failed - row.skipped,
    createdAt: iso(row.created_at)!,
    endedAt: iso(row.ended_at),
    canceledBy: row.canceled_by ?? null,
  };
}

export function itemView(row: Record<string, any>): BatchItemView {
  return { position: row.position, instanceId: row.instance_id, state: row.state, message: row.message ?? null, attempts: row.attempts, updatedAt: iso(row.updated_at)! };
}

function iso(value: Date | string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
