/**
 * Starts that arrive together are written as one statement (group commit,
 * engine/service/batch-writes.ts): every instance is there with its jobs and
 * an audit chain that verifies, and one start the batch cannot write (a start
 * key taken by its twin in the same burst) does not take the others with it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';

const parallel = readFileSync(new URL('../../fixtures/engine/parallel-two-jobs.bpmn', import.meta.url), 'utf8');
const BURST = 30;

describe('starts written together', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    await t.weft.engine.deploy([{ name: 'parallel-two-jobs.bpmn', content: parallel }], 'test');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a burst of starts: one transaction, every instance with its own variables, jobs, actor and a chain that verifies', async () => {
    // when 30 instances are started in one tick, each by a caller of its own
    const started = await Promise.all(Array.from({ length: BURST }, (_, i) => t.weft.engine.startInstance({ processId: 'parallel-two-jobs', variables: { n: i } }, `caller-${i}`)));

    // then they were written together (one clock), and each is whole
    const ids = started.map((s) => s.id);
    expect(new Set(ids).size).toBe(BURST);
    const rows = await t.weft.db('process_instances').whereIn('id', ids).select('id', 'created_at', 'status');
    expect(rows).toHaveLength(BURST);
    expect(new Set(rows.map((r) => new Date(r.created_at).getTime())).size).toBeLessThan(BURST);
    for (const [i, { id }] of started.entries()) {
      expect((await t.weft.engine.getInstance(id)).variables).toEqual({ n: i });
      const jobs = await t.weft.db('jobs').where({ process_instance_id: id }).pluck('type');
      expect(jobs.sort()).toEqual(['branch-a', 'branch-b']);
      const actors = await t.weft.db('audit').where({ process_instance_id: id }).distinct().pluck('actor');
      expect(actors).toEqual([`caller-${i}`]);
      expect((await t.api.get(`/api/process-instances/${id}/audit/verify`)).body).toMatchObject({ valid: true });
    }
  });

  it('two starts with one start key in the burst: one instance for both, and every other start is written', async () => {
    const key = `delivery-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.weft.engine.startInstance({ processId: 'parallel-two-jobs', variables: { n: i }, startKey: i < 2 ? key : `${key}-${i}` }, 'test')),
    );
    // the twins answer one instance; the ten others each their own
    expect(answers[0].id).toBe(answers[1].id);
    expect(new Set(answers.map((a) => a.id)).size).toBe(11);
    const [{ count }] = await t.weft.db('process_instances').whereIn('id', answers.map((a) => a.id)).count({ count: '*' });
    expect(Number(count)).toBe(11);
    const keys = await t.weft.db('instance_start_keys').where('start_key', 'like', `${key}%`).select('start_key', 'process_instance_id');
    expect(keys).toHaveLength(11);
    for (const k of keys) expect(answers.some((a) => a.id === k.process_instance_id)).toBe(true);
  });
});
