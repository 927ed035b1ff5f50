/** What the API answers for a batch operation and its items, from their rows. */
import type { InstanceFilter } from './batch-schemas.js';

export type BatchState = 'RUNNING' | 'COMPLETED' | 'CANCELED';
export type ItemState = 'pending' | 'done' | 'failed' | 'skipped';

export interface BatchOperationView {
  id: string;
  kind: string;
  /** The kind's parameters (e.g. `{retries: 3}` for retry). */
  parameters: Record<string, unknown>;
  /** The instance search the items were taken from; null when the instances were listed by id. */
  filter: InstanceFilter | null;
  actor: string;
  reason: string | null;
  state: BatchState;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  createdAt: string;
  endedAt: string | null;
  canceledBy: string | null;
}

export interface BatchItemView {
  position: number;
  instanceId: string;
  state: ItemState;
  /** What happened to the instance, or why not (an engine refusal's code and message). */
  message: string | null;
  attempts: number;
  updatedAt: string;
}

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
