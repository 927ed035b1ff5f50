/**
 * `weft batch <cancel|retry> --process p [--state s] [--reason r]`: makes a
 * batch operation over the instance search, shows its progress until it
 * ends, then its failed items.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { contextOf } from './context.js';
import { positiveInt } from './retry-command.js';
import type { BatchItemView, BatchOperationView } from '../../engine/features/batch-operations/batch-wire.js';

/** What the CLI reads of a batch (the API's own wire types, batch-wire.ts). */
export type BatchView = Pick<BatchOperationView, 'id' | 'kind' | 'state' | 'total' | 'done' | 'failed' | 'skipped' | 'pending'> & {
  /** A page of the items (GET with itemState=failed: the failed ones). */
  items?: { items: Pick<BatchItemView, 'instanceId' | 'state' | 'message' | 'attempts'>[]; total: number };
};

export const POLL_MS = 300;

export function summary(b: BatchView): string {
  return `Batch ${b.id} (${b.kind}) ${b.state}: ${b.total} instances, ${b.done} done, ${b.failed} failed, ${b.skipped} skipped${b.pending ? `, ${b.pending} pending` : ''}`;
}

export function registerBatch(program: Command): void {
  program
    .command('batch')
    .description('cancel or retry the instances of a search, as one batch operation, and follow it')
    .argument('<kind>', 'cancel or retry', (k: string) => {
      if (k !== 'cancel' && k !== 'retry') throw new InvalidArgumentError('must be cancel or retry');
      return k;
    })
    .requiredOption('--process <processId>', 'the instances of this process')
    .option('--state <state>', 'only those in this state (e.g. ACTIVE)')
    .option('--incidents', 'only those with an open incident')
    .option('--reason <reason>', 'why (kept in the audit)')
    .option('--retries <n>', 'retry: give each failed job this many attempts first', positiveInt)
    .action(async (kind: string, opts: { process: string; state?: string; incidents?: boolean; reason?: string; retries?: number }, command: Command) => {
      const ctx = contextOf(command);
      const filter = { processId: opts.process, ...(opts.state ? { state: opts.state.toUpperCase() } : {}), ...(opts.incidents ? { hasIncident: 'true' } : {}) };
      const body = { kind, filter, ...(opts.reason ? { reason: opts.reason } : {}), ...(kind === 'retry' && opts.retries ? { retries: opts.retries } : {}) };
      let batch = await ctx.api.post<BatchView>('/api/batch-operations', body);
      // The bar goes to stderr, and only on a terminal: stdout stays the summary (or the JSON).
      const bar = process.stderr.isTTY && !ctx.json ? new SingleBar({ format: `${kind} [{bar}] {value}/{total} ({failed} failed)`, hideCursor: true }, Presets.shades_classic) : undefined;
      bar?.start(batch.total, 0, { failed: 0 });
      while (batch.state === 'RUNNING') {
        await new Promise((r) => setTimeout(r, POLL_MS));
        batch = await ctx.api.get<BatchView>(`/api/batch-operations/${batch.id}`, { itemState: 'failed', limit: 500 });
        bar?.update(batch.total - batch.pending, { failed: batch.failed });
      }
      bar?.stop();
      if (!batch.items) batch = await ctx.api.get<BatchView>(`/api/batch-operations/${batch.id}`, { itemState: 'failed', limit: 500 });
      if (ctx.json) ctx.out(JSON.stringify(batch, null, 2));
      else printOutcome(ctx, batch);
      // A script learns from the exit code that some instances were not done (2), apart from a refusal (1).
      if (batch.failed > 0) throw new ItemsFailed(batch.failed);
    });
}

/** Some items of a batch failed: they have been printed; the command ends with exit code 2. */
export class ItemsFailed extends Error {
  readonly exitCode = 2;
  constructor(readonly failed: number) {
    super(`${failed} item(s) of the batch failed`);
  }
}

function printOutcome(ctx: ReturnType<typeof contextOf>, batch: BatchView): void {
  ctx.out(summary(batch));
  const failed = batch.items?.items ?? [];
  if (failed.length) {
    ctx.out(batch.items!.total > failed.length ? `Failed (the first ${failed.length} of ${batch.items!.total}):` : 'Failed:');
    ctx.print(batch, [
      { header: 'instance', value: (i) => i.instanceId },
      { header: 'attempts', value: (i) => i.attempts },
      { header: 'message', value: (i) => i.message },
    ], failed, '');
  }
}
