/**
 * The kinds of batch operation, one module each. The body schema and the
 * runner take a kind from here by name, so a kind is added by adding its
 * module to this table.
 */
import type { BatchKind } from '../batch-kind.js';
import type { BatchKindName } from '../batch-wire.js';
import { cancelKind } from './cancel-kind.js';
import { retryKind } from './retry-kind.js';
import { migrateKind } from './migrate-kind.js';

export const BATCH_KINDS = {
  cancel: cancelKind,
  retry: retryKind,
  migrate: migrateKind,
} satisfies Record<BatchKindName, BatchKind<any>>;

export { BATCH_KIND_NAMES, type BatchKindName } from '../batch-wire.js';

export function kindOf(name: string): BatchKind<Record<string, unknown>> {
  const kind = (BATCH_KINDS as Record<string, BatchKind<any>>)[name];
  // Stored batches name kinds this build knows; a row of another build's kind is a bug to hear of.
  if (!kind) throw new Error(`Unknown batch operation kind '${name}'`);
  return kind;
}
