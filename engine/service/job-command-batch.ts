/**
 * Job commands that arrive together (many workers at once), carried by one
 * transaction: the batch side of the command path (command-path.ts).
 */
import type { Knex } from 'knex';
import { WeftError } from '../errors.js';
import { step } from '../runtime/step.js';
import type { Effect, InstanceState } from '../runtime/types.js';
import { batchEffectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import { fastTransaction } from '../persistence/fast-transaction.js';
import { sizedUuids } from '../persistence/sized-rows.js';
import { committedStates, loadStates, prefetchedEntries, prefetchStatement } from '../persistence/instance-store.js';
import { withContext } from '../observability/tracing/tracing.js';
import { startChildren } from '../calls/child-starts.js';
import { groupWrites, type PreparedStep } from './batch-writes.js';
import type { BatchItem } from './micro-batcher.js';
import { context, rejectionError, type CommandPath, type JobCommandInput } from './command-path.js';
import type { CompletionResult } from './types.js';

/**
 * Many job commands in one transaction: lock every instance involved (in id
 * order, so concurrent batches cannot deadlock), step each command in
 * arrival order on its instance's evolving state, write all effects and
 * commit in one round trip. A refused command is answered on its own and
 * does not hold back the others; if the write itself fails, each command
 * is retried alone.
 */
export async function runJobBatch(path: CommandPath, batch: BatchItem<JobCommandInput, CompletionResult>[]): Promise<void> {
  if (batch.length === 1) {
    const [item] = batch;
    return withContext(item.context, () => path.singleJobCommand(item.input)).then(item.resolve, item.reject);
  }
  const now = new Date();
  const answers = new Map<BatchItem<JobCommandInput, CompletionResult>, CompletionResult | Error>();
  const outbox: OutboxRow[] = [];
  const notifications: string[] = [];
  const openings: MessageOpenings[] = [];
  const signals: string[] = [];
  const tallies: CommitTally[] = [];
  const keys = [...new Set(batch.map((b) => b.input.jobKey))];
  const writtenStates: InstanceState[] = [];
  // The states are read once per instance after the lock: selected with each job row, an instance whose
  // many runs complete together would come back once per job (200 copies of a large state).
  // One round trip: the lock, then (once it is granted) the instances' headers and entries (instance-store.ts).
  const keyList = JSON.stringify(keys);
  const keysIn = sizedUuids(keys.length);
  const instanceIds = { sql: `SELECT DISTINCT process_instance_id FROM jobs WHERE key IN ${keysIn}`, bindings: [keyList] };
  const prefetch = prefetchStatement(instanceIds);
  const lock = {
    sql: `SELECT pi.id, pi.definition_key, j.key AS job_key, j.state AS job_state
            FROM jobs j JOIN process_instances pi ON pi.id = j.process_instance_id
           WHERE j.key IN ${keysIn}
           ORDER BY pi.id FOR UPDATE OF pi;
          SELECT id, state, revision FROM process_instances WHERE id IN (${instanceIds.sql})${prefetch ? `;\n${prefetch.sql}` : ''}`,
    bindings: [keyList, ...instanceIds.bindings, ...(prefetch?.bindings ?? [])] as Knex.RawBinding[],
  };
  const hold = path.heldBy(() => {
    const jobKeys = [...answers].flatMap(([item, answer]) => (answer instanceof Error || answer.duplicate ? [] : [item.input.jobKey]));
    return { kind: 'jobs', commands: jobKeys.length, jobKeys, instanceIds: writtenStates.map((s) => s.id) };
  });
  try {
    await fastTransaction(path.deps.db, lock, async (rows, tx, [headers, entries]) => {
      const jobs = new Map(rows.map((r) => [r.job_key as string, r]));
      const instances = await loadStates((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), headers as never, prefetch ? prefetchedEntries(entries) : undefined);
      const reached = new Map<string, string>(); // job state reached earlier in this batch
      const statements: { sql: string; bindings: readonly Knex.RawBinding[] }[] = [];
      // Each command on an instance of its own: all of them in one statement (batch-writes.ts).
      const perInstance = new Map<string, number>();
      for (const { input } of batch) {
        const id = jobs.get(input.jobKey)?.id as string | undefined;
        if (id) perInstance.set(id, (perInstance.get(id) ?? 0) + 1);
      }
      const together = [...perInstance.values()].every((n) => n === 1);
      const prepared: PreparedStep[] = [];
      // Each instance's row is written once, with its state after its last command here (many runs of one
      // multi-instance complete together: one write of a large state, not one per command).
      const touched = new Set<string>();
      for (const item of batch) {
        const { jobKey, actor, command } = item.input;
        const row = jobs.get(jobKey);
        if (!row) {
          answers.set(item, new WeftError('JOB_NOT_FOUND', `No job with key ${jobKey}`));
          continue;
        }
        const jobState = reached.get(jobKey) ?? row.job_state;
        if (jobState === 'COMPLETED' && command.type === 'COMPLETE_JOB') {
          answers.set(item, { duplicate: true });
          continue;
        }
        if (jobState !== 'ACTIVATABLE' && jobState !== 'ACTIVATED') {
          answers.set(item, new WeftError('JOB_NOT_ACTIVE', `Job ${jobKey} is ${jobState}`));
          continue;
        }
        const { model } = await path.definitions.byKey(row.definition_key, (sql, bindings) => tx.query(sql, bindings));
        // The batch owns the states it read: stepping in place spares a copy of the whole state per command.
        const stepped = step(model, instances.get(row.id)!, command, context(now, actor), { inPlace: true });
        if (!stepped.ok) {
          const [fresh] = await tx.query('SELECT state FROM jobs WHERE key = ?', [jobKey]);
          answers.set(item, fresh?.state === 'COMPLETED' && command.type === 'COMPLETE_JOB' ? { duplicate: true } : rejectionError(stepped.rejection));
          continue;
        }
        answers.set(item, { duplicate: false });
        if (together) {
          const resolved = await withContext(item.context, () => startChildren((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), path.definitions, model, stepped, context(now, actor)));
          prepared.push({ state: resolved.state, effects: resolved.effects, actor, traceContext: item.context, children: resolved });
          recordJobStates(reached, resolved.effects);
          continue;
        }
        const written = await path.writeStep((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), model, stepped, context(now, actor), undefined, { omitInstance: true, traceContext: item.context });
        instances.set(row.id, written.state);
        touched.add(row.id);
        recordJobStates(reached, written.effects);
        statements.push(written.statement);
        outbox.push(...written.outbox);
        notifications.push(...written.notifications);
        openings.push(written.openings);
        signals.push(...written.signals);
        tallies.push(written.tally);
      }
      if (prepared.length > 0) {
        const group = groupWrites(prepared, now);
        writtenStates.push(...group.states);
        outbox.push(...group.outbox);
        notifications.push(...group.notifications);
        openings.push(...group.openings);
        signals.push(...group.signals);
        tallies.push(...group.tallies);
        return { result: undefined, finalSql: joined(group.statements) };
      }
      if (statements.length === 0) return { result: undefined };
      for (const id of touched) writtenStates.push(instances.get(id)!);
      const finals = [...touched].map((id) => {
        const state = instances.get(id)!;
        return { state, effects: state.status === 'ACTIVE' ? [] : [{ type: 'INSTANCE_ENDED' as const, status: state.status }] };
      });
      statements.push(batchEffectsStatement(finals, { actor: 'engine', now }).statement);
      return { result: undefined, finalSql: joined(statements) };
    }, hold);
  } catch (error) {
    path.deps.logger.warn({ err: error, size: batch.length }, 'job command batch failed; running its commands one by one');
    await Promise.all(batch.map((item) => withContext(item.context, () => path.singleJobCommand(item.input)).then(item.resolve, item.reject)));
    return;
  }
  committedStates(writtenStates);
  await path.committed(outbox, openings, notifications, signals, tallies, writtenStates.map((s) => s.id));
  for (const item of batch) {
    const answer = answers.get(item)!;
    if (answer instanceof Error) item.reject(answer);
    else item.resolve(answer);
  }
}

/** Several statements as one query (one round trip). */
function joined(statements: { sql: string; bindings: readonly Knex.RawBinding[] }[]) {
  return { sql: statements.map((st) => st.sql).join(';\n'), bindings: statements.flatMap((st) => st.bindings) };
}

/** The states jobs reach through a step's effects (for later commands on them in the same batch). */
function recordJobStates(reached: Map<string, string>, effects: Effect[]): void {
  for (const e of effects) {
    if (e.type === 'FINISH_JOB') reached.set(e.jobKey, e.state);
    if (e.type === 'RETRY_JOB') reached.set(e.jobKey, 'ACTIVATABLE');
  }
}
