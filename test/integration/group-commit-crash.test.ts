/**
 * Killed inside a group commit: an engine process stops in a batch's
 * transaction after the batch's statements ran (several instances' rows
 * written, uncommitted) and before COMMIT, and is SIGKILLed there
 * (WEFT_TEST_PAUSE_IN_GROUP_COMMIT, test/support/engine-process.ts).
 * Postgres rolls the whole batch back; every acknowledged command stays, an
 * unacknowledged one happened fully or not at all, and a healthy engine
 * finishes the work with every job completed once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import type { GroupCommit } from '../../engine/service/engine-service.js';
import { eventually, type TestWeft } from '../support/test-weft.js';
import type { EngineProcess } from '../support/spawn-engine.js';
import { CHILD_TOKEN, freePort } from '../support/http-engines.js';
import { endCrashTest, expectAllCompletedOnce, spawnChild, startCrashTest, THREE_TASK_TYPES } from '../support/crash-recovery.js';

const PAUSED = /^paused in group commit \(\d+ commands\) /;
/** The smallest batch held open: several instances' commands in one transaction. */
const MIN_BATCH = 3;

afterEach(endCrashTest);

describe('an engine killed inside a group commit', () => {
  it('of job completions: the batch rolls back whole, and every job is then completed once', async () => {
    // given an engine process with workers that stops inside its first group commit of three or more completions
    const t = await startCrashTest();
    const workers = { WORKER_TYPES: THREE_TASK_TYPES, JOB_TIMEOUT_MS: '2000', LOCK_MS: '2000' };
    const doomed = spawnChild({ ...workers, WEFT_TEST_PAUSE_IN_GROUP_COMMIT: String(MIN_BATCH) });
    await doomed.waitFor(/^ready$/);

    // when instances are started until such a batch is held open, and the process is killed there
    const instances = await startUntilPaused(t, doomed);
    const batch = pausedBatch(doomed, 'jobs');
    await expectHeldOpen(t.weft.db, batch);
    expect(await committedOfJobBatch(t.weft.db, batch)).toEqual(NO_COMPLETIONS);
    await killInside(doomed, t.weft.db, batch);

    // then none of the batch's writes were committed: its jobs are not completed, nothing came after them
    expect(await committedOfJobBatch(t.weft.db, batch)).toEqual(NO_COMPLETIONS);

    // and a healthy engine completes every instance, each job once (the batch's too), with no incident
    spawnChild(workers);
    await expectAllCompletedOnce(t, instances);
    expect(await t.weft.db('incidents').count({ count: '*' })).toEqual([{ count: '0' }]);
  }, 120_000);

  it('of starts: none of the batch exists, every acknowledged start does and completes once', async () => {
    // given an engine process serving the API that stops inside its first group commit of three or more starts
    const t = await startCrashTest();
    const port = await freePort();
    const doomed = spawnChild({ HTTP_PORT: String(port), WEFT_TEST_PAUSE_IN_GROUP_COMMIT: String(MIN_BATCH) });
    await doomed.waitFor(/^ready$/);

    // when callers start instances over the API, many at once, until such a batch is held open
    const callers = startCallers(`http://127.0.0.1:${port}`);
    callers.add(24);
    await doomed.waitFor(PAUSED);
    const batch = pausedBatch(doomed, 'starts');
    await expectHeldOpen(t.weft.db, batch);
    expect(await committedOfStartBatch(t.weft.db, batch)).toEqual(NO_STARTS);
    // and the engine goes on around it (callers that come later are answered) until the callers stop, the batch's waiting
    const acknowledgedAtPause = callers.acknowledged.size;
    callers.add(8);
    await eventually(async () => callers.acknowledged.size >= acknowledgedAtPause + 10, 30_000);
    callers.stop();
    await eventually(async () => callers.unanswered.size === batch.commands, 30_000);
    await killInside(doomed, t.weft.db, batch);
    await callers.done();

    // then none of the batch's starts happened, every acknowledged one did, as answered, once
    expect(callers.refusals).toEqual([]);
    expect(await committedOfStartBatch(t.weft.db, batch)).toEqual(NO_STARTS);
    const rows = await t.weft.db('process_instances').select('id', 'business_key');
    expect(rows.filter((r) => callers.unanswered.has(r.business_key))).toEqual([]);
    expect(new Map(rows.map((r) => [r.business_key, r.id]))).toEqual(callers.acknowledged);
    expect(rows.length).toBe(callers.acknowledged.size);

    // and a healthy engine with workers completes each of them, every job once, with no incident
    spawnChild({ WORKER_TYPES: THREE_TASK_TYPES });
    await expectAllCompletedOnce(t, callers.acknowledged.size);
    expect(await t.weft.db('incidents').count({ count: '*' })).toEqual([{ count: '0' }]);
  }, 120_000);
});

/** The batch the process said it holds open, of the kind expected, with several instances in it. */
function pausedBatch(engine: EngineProcess, kind: GroupCommit['kind']): GroupCommit {
  const line = engine.output.find((l) => PAUSED.test(l))!;
  const batch = JSON.parse(line.replace(PAUSED, '')) as GroupCommit;
  expect(batch.kind).toBe(kind);
  expect(batch.commands).toBeGreaterThanOrEqual(MIN_BATCH);
  expect(new Set(batch.instanceIds).size).toBeGreaterThanOrEqual(MIN_BATCH);
  return batch;
}

/** The batch's transaction is open and has run its statements (its backend idles in it, holding the audit's write lock). */
async function expectHeldOpen(db: Knex, batch: GroupCommit) {
  const { rows } = await db.raw(
    `SELECT a.state, EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'audit'::regclass AND l.mode = 'RowExclusiveLock') AS wrote_audit
       FROM pg_stat_activity a WHERE a.pid = ?`,
    [batch.backendPid],
  );
  expect(rows).toEqual([{ state: 'idle in transaction', wrote_audit: true }]);
}

/** SIGKILLs the process and waits until Postgres has ended the batch's backend (and so rolled its transaction back). */
async function killInside(engine: EngineProcess, db: Knex, batch: GroupCommit) {
  engine.kill('SIGKILL');
  expect(await engine.exited).toBe('SIGKILL');
  await eventually(async () => (await db.raw('SELECT 1 FROM pg_stat_activity WHERE pid = ?', [batch.backendPid])).rows.length === 0, 30_000);
}

const NO_COMPLETIONS = { completedJobs: 0, completionAudits: 0, laterJobs: 0, endedInstances: 0 };

/** What of a batch of completions is committed: its jobs completed and audited, jobs its steps opened, instances they ended. */
async function committedOfJobBatch(db: Knex, batch: GroupCommit) {
  const count = async (query: Knex.QueryBuilder) => Number((await query.count({ count: '*' }))[0].count);
  return {
    completedJobs: await count(db('jobs').whereIn('key', batch.jobKeys).andWhere({ state: 'COMPLETED' })),
    completionAudits: await count(db('audit').where({ type: 'JOB_COMPLETED' }).whereRaw(`payload->>'jobKey' = ANY(?::text[])`, [batch.jobKeys])),
    laterJobs: await count(db('jobs').whereIn('process_instance_id', batch.instanceIds).whereNot({ state: 'COMPLETED' }).whereNotIn('key', batch.jobKeys)),
    endedInstances: await count(db('process_instances').whereIn('id', batch.instanceIds).whereNot({ status: 'ACTIVE' })),
  };
}

const NO_STARTS = { instances: 0, entries: 0, jobs: 0, audit: 0 };

/** What of a batch of starts is committed: the rows of the instances it creates. */
async function committedOfStartBatch(db: Knex, batch: GroupCommit) {
  const count = async (table: string, column: string) => Number((await db(table).whereIn(column, batch.instanceIds).count({ count: '*' }))[0].count);
  return {
    instances: await count('process_instances', 'id'),
    entries: await count('instance_entries', 'instance_id'),
    jobs: await count('jobs', 'process_instance_id'),
    audit: await count('audit', 'process_instance_id'),
  };
}

/**
 * Starts instances in waves of 20 (each worked off before the next, so its
 * completions come together) until the engine holds a group commit open;
 * how many were started.
 */
async function startUntilPaused(t: TestWeft, engine: EngineProcess): Promise<number> {
  let held = false;
  const paused = engine.waitFor(PAUSED, 110_000);
  paused.then(() => (held = true), () => undefined);
  let started = 0;
  while (!held) {
    if (started >= 100) throw new Error(`no group commit of ${MIN_BATCH} or more completions in ${started} instances`);
    await Promise.all(Array.from({ length: 20 }, () => t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test')));
    started += 20;
    const completed = async () => Number((await t.weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' }))[0].count);
    await Promise.race([paused, eventually(async () => held || (await completed()) === started, 60_000)]);
  }
  return started;
}

/**
 * Callers (`add` some) each starting an instance after another over the API
 * (business keys start-0, start-1, …) until stopped, or until the engine
 * dies with their start unanswered.
 */
function startCallers(url: string) {
  const acknowledged = new Map<string, string>();
  const unanswered = new Set<string>();
  const refusals: string[] = [];
  let next = 0;
  let stopped = false;
  const lane = async () => {
    while (!stopped) {
      const businessKey = `start-${next++}`;
      unanswered.add(businessKey);
      const body = JSON.stringify({ processId: 'bench-three-tasks', businessKey });
      const res = await fetch(`${url}/api/process-instances`, { method: 'POST', headers: { authorization: `Bearer ${CHILD_TOKEN}`, 'content-type': 'application/json' }, body }).catch(() => null);
      if (!res) return;
      const answer = await res.json();
      if (res.status === 201) acknowledged.set(businessKey, answer.id);
      else refusals.push(`${businessKey}: ${res.status} ${JSON.stringify(answer)}`);
      unanswered.delete(businessKey);
    }
  };
  const lanes: Promise<void>[] = [];
  return {
    acknowledged,
    unanswered,
    refusals,
    add: (count: number) => lanes.push(...Array.from({ length: count }, lane)),
    stop: () => (stopped = true),
    done: () => Promise.all(lanes),
  };
}
