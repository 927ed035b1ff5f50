/**
 * What /api/batch-operations answers, as plain types and constants: the
 * server's views (batch-views.ts), the operations page (modeler/src/operations)
 * and the CLI (scripts/cli/batch-command.ts) all import this one file. It
 * imports nothing, so the page can (as engine/model/supported-elements.ts).
 */

/** The kinds of batch operation; kinds/index.ts holds a module for each, checked against this list. */
export const BATCH_KIND_NAMES = ['cancel', 'retry', 'migrate'] as const;
export type BatchKindName = (typeof BATCH_KIND_NAMES)[number];

export type BatchState = 'RUNNING' | 'COMPLETED' | 'CANCELED';
export type ItemState = 'pending' | 'done' | 'failed' | 'skipped';

/** The most instances one batch may hold: a larger search is narrowed first (or split into several batches). */
export const MAX_BATCH_ITEMS = 10_000;

export interface BatchOperationView {
  id: string;
  kind: BatchKindName;
  /** The kind's parameters (e.g. `{retries: 3}` for retry). */
  parameters: Record<string, unknown>;
  /**
   * The instance search the items were taken from, as the engine stored it
   * (JSON: `version` a number, `hasIncident` a boolean, `variable: {name,
   * value}`, times as ISO strings); null when the instances were listed by id.
   */
  filter: Record<string, unknown> | null;
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
  /** What happened to the instance, or why not: a failure is `CODE: message` (an engine refusal's code and message). */
  message: string | null;
  attempts: number;
  updatedAt: string;
}
