/**
 * A command reads its instance's state in the lock's own round trip (the
 * entries are selected by a statement sent after the lock statement,
 * instance-store.ts prefetchStatement). That read must see what the holder
 * of the lock committed: a completion that waited for another engine's
 * commit steps on the state that commit left, never on the one it found
 * when it began waiting.
 * parallel-two-jobs.bpmn: a fork into service tasks `a` and `b`, and a join.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { startWeft, type Weft } from '../../engine/weft.js';
import type { GroupCommit } from '../../engine/service/engine-service.js';

const parallel = readFileSync(new URL('../fixtures/engine/parallel-two-jobs.bpmn', import.meta.url), 'utf8');

describe('the state a command reads with its lock', () => {
  let t: TestWeft;
  let other: Weft;
  let holding: (() => void) | undefined;
  let held: GroupCommit | undefined;
  let hold = false;

  beforeAll(async () => {
    // Engine A (t) holds its job batches open before COMMIT while `hold` is set; engine B (other) shares its database.
    t = await startTestWeft({
      background: false,
      inGroupCommit: async (batch) => {
        if (!hold || batch.kind !== 'jobs') return;
        held = batch;
        await new Promise<void>((resolve) => (holding = resolve));
      },
    });
    other = await startWeft({ config: { ...t.config }, logger: pino({ level: 'silent' }), http: false, background: false, migrate: false });
    await t.weft.engine.deploy([{ name: 'parallel-two-jobs.bpmn', content: parallel }], 'test');
  });
  afterAll(async () => {
    await other?.close();
    await t?.stop();
  });

  const jobOf = async (id: string, type: string) => (await t.weft.db('jobs').where({ process_instance_id: id, type }).first('key')).key as string;
  const waitingForLock = async () => (await t.weft.db.raw(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows.length > 0;

  for (const how of ['alone', 'in a batch'] as const) {
    it(`a completion ${how} that waited for another engine's commit steps on what it committed`, async () => {
      // given an instance waiting at both branches, and engine A's completion of `a` held before its COMMIT
      const { id } = await t.weft.engine.startInstance({ processId: 'parallel-two-jobs' }, 'test');
      const { id: bystander } = await t.weft.engine.startInstance({ processId: 'parallel-two-jobs' }, 'test');
      const [a, b] = [await jobOf(id, 'branch-a'), await jobOf(id, 'branch-b')];
      const [aside, bside] = [await jobOf(bystander, 'branch-a'), await jobOf(bystander, 'branch-b')];
      hold = true;
      held = undefined;
      // two completions at once go as one batch (the hook holds batches); the bystander's is the second
      const first = Promise.all([t.weft.engine.completeJob(a, { fromA: 1 }, 'test'), t.weft.engine.completeJob(aside, {}, 'test')]);
      await eventually(async () => held !== undefined);
      hold = false;

      // when engine B completes `b` meanwhile (its lock waits), and then A commits
      const others = how === 'alone' ? [] : [other.engine.completeJob(bside, {}, 'test')];
      const second = Promise.all([other.engine.completeJob(b, { fromB: 2 }, 'test'), ...others]);
      await eventually(waitingForLock);
      holding!();
      expect(await first).toEqual([{ duplicate: false }, { duplicate: false }]);
      expect((await second)[0]).toEqual({ duplicate: false });

      // then B's step saw A's token at the join: the instance completed, with both branches' variables
      const detail = await t.weft.engine.getInstance(id);
      expect(detail.state).toBe('COMPLETED');
      expect(detail.variables).toMatchObject({ fromA: 1, fromB: 2 });
      const joins = await t.weft.db('audit').where({ process_instance_id: id, type: 'ELEMENT_COMPLETED', element_id: 'join' }).count({ n: '*' });
      expect(Number(joins[0].n)).toBe(1);
    });
  }

  it('a job completion on a small instance is two round trips to Postgres: lock with read, then write with commit', async () => {
    // given an instance waiting at both branches
    const { id } = await t.weft.engine.startInstance({ processId: 'parallel-two-jobs' }, 'test');
    const a = await jobOf(id, 'branch-a');

    // when one job is completed, counting the queries sent
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (typeof args[0] === 'string') sent.push(args[0]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      expect(await t.weft.engine.completeJob(a, { done: true }, 'test')).toEqual({ duplicate: false });
    } finally {
      pg.Client.prototype.query = original;
    }

    // then one query locked the instance and read its entries, and one wrote and committed
    const own = sent.filter((sql) => !sql.startsWith('DELETE FROM outbox'));
    expect(own).toHaveLength(2);
    expect(own[0]).toMatch(/^BEGIN;[\s\S]*FOR UPDATE[\s\S]*instance_entries/);
    expect(own[1]).toMatch(/COMMIT$/);
    expect((await t.weft.engine.getInstance(id)).variables).toMatchObject({ done: true });
  });
});
