/**
 * An instance's element instances, jobs and waits are rows of their own
 * (instance_entries), written as a step touches them; a large instance's
 * state is kept in memory between commands, at its row's revision.
 * many-runs.bpmn: a parallel multi-instance service task over `items`,
 * collecting each run's `done` into `results`.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { createTestDatabase } from '../support/test-database.js';
import { CACHE_MIN_ENTRIES } from '../../engine/persistence/instance-store.js';
import * as entriesMigration from '../../db/migrations/20261204000001_instance_entries.js';

const xml = readFileSync(new URL('../fixtures/engine/many-runs.bpmn', import.meta.url), 'utf8');
const RUNS = CACHE_MIN_ENTRIES + 44; // large enough to be kept between commands

describe('instance entries', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    await t.weft.engine.deploy([{ name: 'many-runs.bpmn', content: xml }], 'test');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const start = () => t.weft.engine.startInstance({ processId: 'many-runs', variables: { items: Array.from({ length: RUNS }, (_, i) => i) } }, 'test');
  const jobsOf = async (id: string) => (await t.weft.db('jobs').where({ process_instance_id: id, state: 'ACTIVATABLE' }).orderBy('created_at').select('key')).map((r) => r.key as string);
  const complete = (key: string, item: number) => t.weft.engine.completeJob(key, { done: item * 2 }, 'test');
  const itemOf = async (key: string) => ((await t.weft.db('jobs').where({ key }).first('variables')).variables as { item: number }).item;
  const entryCount = async (id: string, kind: string) => Number((await t.weft.db('instance_entries').where({ instance_id: id, kind }).count({ n: '*' }))[0].n);

  it('holds one row per live run and job, and rows leave as the runs complete, until the instance is done', async () => {
    // given a body with its runs, each waiting on a job
    const { id } = await start();
    expect(await entryCount(id, 'job')).toBe(RUNS);
    expect(await entryCount(id, 'element')).toBe(RUNS + 2); // the process, the body, the runs
    const header = (await t.weft.db('process_instances').where({ id }).first('state')).state;
    expect(header).not.toHaveProperty('elements');

    // when half of them complete, some together and some alone
    const jobs = await jobsOf(id);
    const half = jobs.slice(0, RUNS / 2);
    await Promise.all(half.slice(0, 40).map(async (key) => complete(key, await itemOf(key))));
    for (const key of half.slice(40)) await complete(key, await itemOf(key));

    // then their rows are gone, and the rest wait
    expect(await entryCount(id, 'job')).toBe(RUNS / 2);
    expect(await entryCount(id, 'element')).toBe(RUNS / 2 + 2);

    // and when the rest complete, every result is in its place
    for (const key of jobs.slice(RUNS / 2)) await complete(key, await itemOf(key));
    const detail = await t.weft.engine.getInstance(id);
    expect(detail.state).toBe('COMPLETED');
    expect((detail.variables as { results: number[] }).results).toEqual(Array.from({ length: RUNS }, (_, i) => i * 2));
    expect(await entryCount(id, 'job')).toBe(0);
  });

  it('a state changed behind the engine (its revision moved on) is read again, not taken from memory', async () => {
    // given an instance whose state the engine kept after a completion
    const { id } = await start();
    const jobs = await jobsOf(id);
    await complete(jobs[0], await itemOf(jobs[0]));

    // when someone else changes a variable and moves the revision on
    await t.weft.db.raw(`UPDATE instance_entries SET value = jsonb_set(value, '{variables,marker}', '"set elsewhere"') WHERE instance_id = ? AND kind = 'element' AND key = ?`, [id, id]);
    await t.weft.db('process_instances').where({ id }).increment('revision', 1);
    await complete(jobs[1], await itemOf(jobs[1]));

    // then the next command saw it and kept it (a kept copy would have written the root back without it)
    expect((await t.weft.engine.getInstance(id)).variables).toMatchObject({ marker: 'set elsewhere' });
  });

  it('a command rolled back after its step leaves nothing of itself in the state the next command uses', async () => {
    // given a kept state, and a write that fails once
    const { id } = await start();
    const jobs = await jobsOf(id);
    await complete(jobs[0], await itemOf(jobs[0]));
    await t.weft.db.raw(`
      CREATE SEQUENCE fail_once_seq;
      CREATE FUNCTION fail_once() RETURNS trigger AS $$ BEGIN IF nextval('fail_once_seq') = 1 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NULL; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER fail_once BEFORE INSERT OR UPDATE ON instance_entries FOR EACH STATEMENT EXECUTE FUNCTION fail_once();`);
    try {
      // when a completion's write fails
      await expect(complete(jobs[1], await itemOf(jobs[1]))).rejects.toThrow(/injected failure/);
    } finally {
      await t.weft.db.raw('DROP TRIGGER fail_once ON instance_entries; DROP FUNCTION fail_once(); DROP SEQUENCE fail_once_seq');
    }

    // then the same completion succeeds on what was committed, and every run counts once
    expect(await complete(jobs[1], await itemOf(jobs[1]))).toEqual({ duplicate: false });
    for (const key of jobs.slice(2)) await complete(key, await itemOf(key));
    const detail = await t.weft.engine.getInstance(id);
    expect(detail.state).toBe('COMPLETED');
    expect((detail.variables as { results: number[] }).results).toEqual(Array.from({ length: RUNS }, (_, i) => i * 2));
  });
});

describe('the instance entries migration', () => {
  it('moves the element instances, jobs and waits of states stored whole into rows, and back', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.knex;
      // given a state stored whole, as before the migration
      await entriesMigration.down(db);
      const state = {
        id: '00000000-0000-4000-8000-000000000001',
        status: 'ACTIVE',
        nextKey: 3,
        incidents: {},
        elements: { '00000000-0000-4000-8000-000000000001': { key: '00000000-0000-4000-8000-000000000001', kind: 'process' }, '2': { key: '2', kind: 'serviceTask' } },
        jobs: { j1: { key: 'j1', elementInstanceKey: '2' } },
        waits: { w1: { id: 'w1', type: 'timer', elementInstanceKey: '2' } },
      };
      const deployment = '00000000-0000-4000-8000-0000000000d1';
      const definition = '00000000-0000-4000-8000-0000000000d2';
      await db('deployments').insert({ id: deployment, resources: '[]' });
      await db('process_definitions').insert({ key: definition, process_id: 'p', version: 1, checksum: 'c', resource_name: 'p.bpmn', deployment_id: deployment, xml: '<x/>', model: '{}' });
      await db('process_instances').insert({ id: state.id, definition_key: definition, process_id: 'p', version: 1, status: 'ACTIVE', state: JSON.stringify(state) });

      // when the migration runs
      await entriesMigration.up(db);

      // then the header keeps the rest, and each entry is a row
      const row = await db('process_instances').where({ id: state.id }).first('state', 'revision');
      expect(row.state).toEqual({ id: state.id, status: 'ACTIVE', nextKey: 3, incidents: {} });
      const entries = await db('instance_entries').where({ instance_id: state.id }).orderBy(['kind', 'key']).select('kind', 'key', 'value');
      expect(entries.map((e) => `${e.kind}:${e.key}`)).toEqual([`element:${state.id}`, 'element:2', 'job:j1', 'wait:w1']);
      expect(entries[2].value).toEqual(state.jobs.j1);

      // and down puts them back as they were
      await entriesMigration.down(db);
      expect((await db('process_instances').where({ id: state.id }).first('state')).state).toEqual(state);
      await entriesMigration.up(db);
    } finally {
      await database.drop();
    }
  });
});
