/**
 * History retention (issue #13): ended instances older than their TTL go,
 * every row of theirs with them, in bounded batches; live and recent ones
 * stay; a process's own TTL wins over the server's; the audit chains are
 * archived first and verify offline; the chain of no instance records each
 * batch and still verifies; two engines never remove one instance twice.
 * The batches are driven here by RetentionRunner directly (the engine's own
 * loop is told to wait an hour between looks).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { RetentionRunner } from '../../engine/features/history-retention/retention-runner.js';
import { verifyArchiveFile } from '../../engine/features/history-retention/archive-verify.js';
import type { HistoryRetentionConfig } from '../../engine/config.js';
import { backfillHistoryTtl } from '../../db/migrations/20261214000400_history_retention.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/history-retention/${name}`, import.meta.url), 'utf8');
const twoJobs = readFileSync(new URL('../fixtures/integration/two-jobs.bpmn', import.meta.url), 'utf8');

/** Tables with rows of an instance, and the column naming it. */
const TABLES: [string, string][] = [
  ['process_instances', 'id'],
  ['instance_entries', 'instance_id'],
  ['jobs', 'process_instance_id'],
  ['tasks', 'process_instance_id'],
  ['incidents', 'process_instance_id'],
  ['timers', 'process_instance_id'],
  ['message_subscriptions', 'process_instance_id'],
  ['message_correlations', 'process_instance_id'],
  ['signal_subscriptions', 'process_instance_id'],
  ['agent_runs', 'process_instance_id'],
  ['a2a_remote_tasks', 'process_instance_id'],
  ['a2a_tasks', 'process_instance_id'],
  ['instance_start_keys', 'process_instance_id'],
  ['batch_operation_items', 'instance_id'],
  ['instance_notifications', 'target_instance_id'],
  ['audit', 'process_instance_id'],
];

describe('history retention', () => {
  let t: TestWeft;
  let archiveDir: string;
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    archiveDir = mkdtempSync(join(tmpdir(), 'weft-history-'));
    t = await startTestWeft({}, { config: { historyRetention: { pollMs: 3_600_000 } } });
    const res = await t.api.deploy([
      { name: 'approval.bpmn', xml: fixture('approval.bpmn') },
      { name: 'short-lived.bpmn', xml: fixture('short-lived.bpmn') },
      { name: 'two-jobs.bpmn', xml: twoJobs },
    ]);
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(archiveDir, { recursive: true, force: true });
  });

  const runner = (settings: Partial<HistoryRetentionConfig>) =>
    new RetentionRunner({ db: t.weft.db, logger: log, metrics: t.weft.metrics, settings: { ttlDays: 30, batchSize: 500, pauseMs: 0, pollMs: 1000, archiveDir: null, ...settings } });

  /** Runs batches until one removes nothing; answers each batch's count. */
  async function drain(r: RetentionRunner): Promise<number[]> {
    const counts: number[] = [];
    for (;;) {
      const { removed } = await r.batch();
      if (removed === 0) return counts;
      counts.push(removed);
    }
  }

  async function start(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await t.api.post('/api/process-instances', { processId, variables });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** An instance canceled while its task and timer waited, made to look `daysAgo` days old. */
  async function ended(processId: string, daysAgo: number): Promise<string> {
    const id = await start(processId);
    await eventually(async () => (await t.weft.db('tasks').where({ process_instance_id: id })).length > 0);
    expect((await t.api.post(`/api/process-instances/${id}/cancel`)).status).toBe(200);
    await eventually(async () => (await t.weft.db('process_instances').where({ id }).first('status'))?.status === 'CANCELED');
    await age(id, daysAgo);
    return id;
  }

  const age = (id: string, daysAgo: number) => t.weft.db.raw(`UPDATE process_instances SET ended_at = now() - make_interval(days => ?) WHERE id = ?`, [daysAgo, id]);

  /** Rows of the other tables an instance can have (agent runs, A2A, v2 keys, start keys, notes, …), written as their features would. */
  async function dependents(id: string): Promise<void> {
    const db = t.weft.db;
    const jobKey = randomUUID();
    const runId = randomUUID();
    await db('agent_runs').insert({ id: runId, job_key: jobKey, process_instance_id: id, element_id: 'agent', agent_name: 'a', agent_version: 1, definition_key: randomUUID(), status: 'COMPLETED' });
    await db('agent_run_steps').insert({ job_key: jobKey, step: 1, run_id: runId, kind: 'model', payload: {} });
    await db('a2a_remote_tasks').insert({ job_key: randomUUID(), connection: 'c', process_instance_id: id, state: 'completed' });
    await db('a2a_tasks').insert({ task_id: randomUUID(), process_id: 'p', process_instance_id: id, context_id: 'ctx', owner: 'o' });
    await db('instance_start_keys').insert({ start_key: randomUUID(), process_instance_id: id });
    const job = randomUUID();
    await db('jobs').insert({ key: job, type: 'retention-test', process_instance_id: id, process_id: 'retention-approval', element_id: 'approve', element_instance_key: 'k', state: 'COMPLETED', retries: 0, headers: {}, variables: {} });
    const incident = randomUUID();
    await db('incidents').insert({ id: incident, process_instance_id: id, element_id: 'approve', element_instance_key: 'k', type: 'JOB_NO_RETRIES', message: 'm', state: 'RESOLVED' });
    await db('message_subscriptions').insert({ id: randomUUID(), process_instance_id: id, definition_key: randomUUID(), process_id: 'p', element_id: 'e', element_instance_key: 'k', message_name: 'm', correlation_key: 'c', state: 'CLOSED' });
    await db('message_correlations').insert({ message_key: randomUUID(), process_id: `p-${id}`, process_instance_id: id, element_id: 'e' });
    await db('signal_subscriptions').insert({ id: randomUUID(), process_instance_id: id, definition_key: randomUUID(), process_id: 'p', element_id: 'e', element_instance_key: 'k', signal_name: 's' });
    await db('instance_notifications').insert({ key: randomUUID(), target_instance_id: id, source_instance_id: randomUUID(), kind: 'child-completed', payload: {} });
    const op = randomUUID();
    await db('batch_operations').insert({ id: op, kind: 'cancel', parameters: {}, actor: 'admin', state: 'COMPLETED', total: 1 });
    await db('batch_operation_items').insert({ operation_id: op, position: 0, instance_id: id, state: 'done' });
    const task = await db('tasks').where({ process_instance_id: id }).first('id');
    await db('v2_keys').insert([
      { kind: 'process-instance', id },
      { kind: 'element-instance', id: `${id}:approve-1` },
      { kind: 'variable', id: `${id}:${id}:amount` },
      { kind: 'job', id: job },
      { kind: 'incident', id: incident },
      ...(task ? [{ kind: 'user-task', id: task.id }] : []),
    ]);
  }

  async function rowsOf(id: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [table, column] of TABLES) counts[table] = Number((await t.weft.db(table).where(column, id).count<{ n: string }[]>('* as n'))[0].n);
    counts.v2_keys = Number((await t.weft.db('v2_keys').whereRaw(`split_part(id, ':', 1) = ?`, [id]).count<{ n: string }[]>('* as n'))[0].n);
    counts.v2_keys_of_rows = Number((await t.weft.db('v2_keys').whereIn('kind', ['job', 'user-task', 'incident']).whereRaw(`id NOT IN (SELECT key::text FROM jobs UNION ALL SELECT id::text FROM tasks UNION ALL SELECT id::text FROM incidents)`).count<{ n: string }[]>('* as n'))[0].n);
    counts.audit_chain_heads = Number((await t.weft.db('audit_chain_heads').where({ chain: id }).count<{ n: string }[]>('* as n'))[0].n);
    return counts;
  }

  const removalEvents = async () => (await t.weft.db('audit').whereNull('process_instance_id').where({ type: 'HISTORY_REMOVED' }).orderBy('id')).map((r) => r.payload);

  it('removes ended instances older than their TTL with every row of theirs, and leaves live and recent ones', async () => {
    // given an old ended instance with rows in every table, a recent one, a live one, and an old one of a process whose own TTL is shorter
    const old = await ended('retention-approval', 40);
    await dependents(old);
    const recent = await ended('retention-approval', 10);
    const live = await start('retention-approval');
    await age(live, 400); // ended_at stays null for a live one; this changes nothing
    const short = await ended('retention-short', 3);
    const before = await rowsOf(old);
    for (const table of Object.keys(before)) if (table !== 'v2_keys_of_rows') expect(before[table], table).toBeGreaterThan(0);
    // when
    const counts = await drain(runner({ ttlDays: 30, archiveDir }));
    // then
    expect(counts).toEqual([2]);
    const after = await rowsOf(old);
    for (const table of Object.keys(after)) expect(after[table], table).toBe(table === 'message_correlations' || table === 'batch_operation_items' ? 1 : 0);
    expect(await t.weft.db('agent_run_steps').where({ run_id: t.weft.db('agent_runs').select('id').where({ process_instance_id: old }) })).toEqual([]);
    expect((await rowsOf(short)).process_instances).toBe(0);
    expect((await rowsOf(recent)).process_instances).toBe(1);
    expect((await rowsOf(live)).tasks).toBe(1);
    expect((await t.api.get(`/api/process-instances/${old}`)).status).toBe(404);
    expect((await t.api.get(`/api/process-instances/${recent}/audit/verify`)).body.valid).toBe(true);
    // and the removal is on the record, in the chain of no instance, which still verifies
    const [event] = (await removalEvents()).slice(-1);
    expect(event).toMatchObject({ instances: 2, ttlDays: { 'retention-approval': 30, 'retention-short': 2 }, instanceIds: expect.arrayContaining([old, short]) });
    expect(event.rows.audit).toBeGreaterThan(0);
    expect((await t.api.get('/api/audit/verify')).body).toMatchObject({ valid: true, firstMismatch: null });
    // and the archive holds both chains, and verifies offline
    expect(event.archive).toMatch(/weft-history-.*\.ndjson\.gz$/);
    const verdict = await verifyArchiveFile(event.archive);
    expect(verdict).toMatchObject({ valid: true, instances: 2, invalid: [] });
    expect(verdict.events).toBe(event.rows.audit);
    expect((await t.weft.metrics.text())).toMatch(/weft_history_removed_instances_total\{process_id="retention-approval"\} 1/);
  });

  it('keeps history forever when neither the server nor the process sets a TTL', async () => {
    // given an instance that ended long ago, of a process with no TTL of its own
    const old = await ended('retention-approval', 4000);
    // when the server keeps history forever
    const counts = await drain(runner({ ttlDays: null }));
    // then
    expect(counts).toEqual([]);
    expect((await rowsOf(old)).process_instances).toBe(1);
    await t.weft.db('process_instances').where({ id: old }).update({ ended_at: new Date() });
  });

  it('removes in bounded batches, one transaction and one audit event each', async () => {
    // given 10 due instances
    const ids = await Promise.all(Array.from({ length: 10 }, () => ended('retention-approval', 50)));
    const eventsBefore = (await removalEvents()).length;
    // when batches of at most 3 are removed
    const counts = await drain(runner({ ttlDays: 30, batchSize: 3 }));
    // then
    expect(counts).toEqual([3, 3, 3, 1]);
    const events = (await removalEvents()).slice(eventsBefore);
    expect(events.map((e) => e.instances)).toEqual([3, 3, 3, 1]);
    expect(events.flatMap((e) => e.instanceIds).sort()).toEqual([...ids].sort());
    expect(events.every((e) => e.archive === null)).toBe(true);
  });

  it('keeps a called child while its parent is live, and removes it once the parent has ended', async () => {
    // given an ended child whose parent instance is still running
    const parent = await start('retention-approval');
    const child = await ended('retention-approval', 50);
    await t.weft.db('process_instances').where({ id: child }).update({ parent_instance_id: parent });
    // when
    await drain(runner({ ttlDays: 30 }));
    // then the child stays; once its parent has ended the child goes, and the parent waits for its own TTL
    expect((await rowsOf(child)).process_instances).toBe(1);
    expect((await t.api.post(`/api/process-instances/${parent}/cancel`)).status).toBe(200);
    await eventually(async () => (await t.weft.db('process_instances').where({ id: parent }).first('status'))?.status === 'CANCELED');
    await drain(runner({ ttlDays: 30 }));
    expect((await rowsOf(child)).process_instances).toBe(0);
    expect((await rowsOf(parent)).process_instances).toBe(1);
  });

  it('keeps an ended parent while a called child of its is live', async () => {
    // given a parent that ended long ago, and a child of its still running
    const parent = await ended('retention-approval', 50);
    const child = await start('retention-approval');
    await t.weft.db('process_instances').where({ id: child }).update({ parent_instance_id: parent });
    // when
    await drain(runner({ ttlDays: 30 }));
    // then the parent stays; once the child has ended (recently), the parent goes and the child waits for its own TTL
    expect((await rowsOf(parent)).process_instances).toBe(1);
    expect((await t.api.post(`/api/process-instances/${child}/cancel`)).status).toBe(200);
    await eventually(async () => (await t.weft.db('process_instances').where({ id: child }).first('status'))?.status === 'CANCELED');
    await drain(runner({ ttlDays: 30 }));
    expect((await rowsOf(parent)).process_instances).toBe(0);
    expect((await rowsOf(child)).process_instances).toBe(1);
  });

  it('keeps an instance while a batch operation naming it still runs, and keeps the items of finished batches', async () => {
    // given a due instance that is an item of a running batch operation
    const id = await ended('retention-approval', 50);
    const op = randomUUID();
    await t.weft.db('batch_operations').insert({ id: op, kind: 'cancel', parameters: {}, actor: 'admin', state: 'RUNNING', total: 1 });
    await t.weft.db('batch_operation_items').insert({ operation_id: op, position: 0, instance_id: id, state: 'pending' });
    // when
    await drain(runner({ ttlDays: 30 }));
    // then it stays; once the batch has finished it goes
    expect((await rowsOf(id)).process_instances).toBe(1);
    await t.weft.db('batch_operations').where({ id: op }).update({ state: 'COMPLETED' });
    await drain(runner({ ttlDays: 30 }));
    expect((await rowsOf(id)).process_instances).toBe(0);
    expect(await t.weft.db('batch_operation_items').where({ operation_id: op }).first('instance_id', 'state')).toEqual({ instance_id: id, state: 'pending' });
  });

  it('never removes one instance twice when two engines work at once', async () => {
    // given 12 due instances, and two runners (as two engines) draining in parallel
    const ids = await Promise.all(Array.from({ length: 12 }, () => ended('retention-approval', 60)));
    const eventsBefore = (await removalEvents()).length;
    // when
    const [a, b] = await Promise.all([drain(runner({ ttlDays: 30, batchSize: 2, archiveDir })), drain(runner({ ttlDays: 30, batchSize: 2, archiveDir }))]);
    // then
    expect([...a, ...b].reduce((x, y) => x + y, 0)).toBe(12);
    const removed = (await removalEvents()).slice(eventsBefore).flatMap((e) => e.instanceIds);
    expect(removed.sort()).toEqual([...ids].sort());
    expect(new Set(removed).size).toBe(12);
    for (const file of readdirSync(archiveDir)) expect((await verifyArchiveFile(join(archiveDir, file))).valid, file).toBe(true);
    expect((await t.api.get('/api/audit/verify')).body.valid).toBe(true);
  });

  it('backfills the TTL of versions compiled before it from their stored XML, and keeps a version whose TTL it cannot read forever', async () => {
    // given the short-lived version as deployed before TTLs were compiled (the field absent), and a copy whose stored TTL is not days
    const db = t.weft.db;
    const version = await db('process_definitions').where({ process_id: 'retention-short' }).first();
    await db.raw(`UPDATE process_definitions SET model = model - 'historyTtlDays' WHERE key = ?`, [version.key]);
    const unreadable = randomUUID();
    await db('process_definitions').insert({
      ...version,
      key: unreadable,
      version: version.version + 100,
      xml: version.xml.replace('camunda:historyTimeToLive="P2D"', 'camunda:historyTimeToLive="P6M"'),
      model: (({ historyTtlDays: _, ...rest }) => rest)(version.model),
      history_ttl_days: undefined,
      history_kept_forever: undefined,
    });
    expect((await db('process_definitions').where({ key: version.key }).first()).history_ttl_days).toBeNull();
    // when the migration's backfill runs
    await backfillHistoryTtl(db);
    // then the first has its 2 days again, the second is kept forever
    expect(await db('process_definitions').where({ key: version.key }).first('history_ttl_days', 'history_kept_forever')).toEqual({ history_ttl_days: 2, history_kept_forever: false });
    expect(await db('process_definitions').where({ key: unreadable }).first('history_ttl_days', 'history_kept_forever')).toEqual({ history_ttl_days: null, history_kept_forever: true });
    // and an instance of the unreadable version that ended long ago stays, whatever the server's TTL
    const old = await ended('retention-short', 4000);
    await db('process_instances').where({ id: old }).update({ definition_key: unreadable });
    await drain(runner({ ttlDays: 30 }));
    expect((await rowsOf(old)).process_instances).toBe(1);
    await db('process_instances').where({ id: old }).update({ definition_key: version.key, ended_at: new Date() });
  });

  it('leaves the audit append-only for everyone else', async () => {
    // given a recorded event
    const [row] = await t.weft.db('audit').whereNull('process_instance_id').limit(1);
    // when anyone but the retention tries to delete it, then Postgres refuses
    await expect(t.weft.db('audit').where({ id: row.id }).delete()).rejects.toThrow(/append-only/);
    await expect(t.weft.db('audit').where({ id: row.id }).update({ actor: 'x' })).rejects.toThrow(/append-only/);
  });

  it('refuses a DELETE of the audit when the removal setting is merely on (as a role or database default would set it)', async () => {
    // given an ended instance's audit rows, and a transaction where weft.history_removal = on (what ALTER DATABASE … SET gives each session)
    const id = await ended('retention-approval', 1);
    const attempt = (sql: string) =>
      t.weft.db.transaction(async (trx) => {
        await trx.raw(`SELECT set_config('weft.history_removal', 'on', true)`);
        await trx.raw(sql, [id]);
      });
    // when anything is deleted, then Postgres refuses
    await expect(attempt('DELETE FROM audit WHERE process_instance_id = ?')).rejects.toThrow(/append-only/);
    await expect(attempt('DELETE FROM audit_links WHERE chain = ?')).rejects.toThrow(/append-only/);
    await expect(attempt('DELETE FROM audit_chain_heads WHERE chain = ?')).rejects.toThrow(/append-only/);
    expect((await rowsOf(id)).audit).toBeGreaterThan(0);
  });

  it('refuses, even inside a removal transaction, a DELETE of the chain of no instance or of a live instance', async () => {
    // given a live instance, and a transaction holding the removal token
    const live = await start('retention-approval');
    await eventually(async () => (await t.weft.db('tasks').where({ process_instance_id: live })).length > 0);
    const removal = (sql: string, bindings: string[] = []) =>
      t.weft.db.transaction(async (trx) => {
        await trx.raw(`SELECT set_config('weft.history_removal', pg_current_xact_id()::text, true)`);
        await trx.raw(sql, bindings);
      });
    // when it deletes the chain of no instance, or the live instance's chain, then Postgres refuses
    await expect(removal('DELETE FROM audit WHERE process_instance_id IS NULL')).rejects.toThrow(/append-only/);
    await expect(removal(`DELETE FROM audit_links WHERE chain = 'none'`)).rejects.toThrow(/append-only/);
    await expect(removal(`DELETE FROM audit_chain_heads WHERE chain = 'none'`)).rejects.toThrow(/append-only/);
    await expect(removal('DELETE FROM audit WHERE process_instance_id = ?', [live])).rejects.toThrow(/append-only/);
    await expect(removal('DELETE FROM audit_links WHERE chain = ?', [live])).rejects.toThrow(/append-only/);
    await expect(removal('DELETE FROM audit_chain_heads WHERE chain = ?', [live])).rejects.toThrow(/append-only/);
    expect((await rowsOf(live)).audit).toBeGreaterThan(0);
    expect((await t.api.get('/api/audit/verify')).body.valid).toBe(true);
  });
});
