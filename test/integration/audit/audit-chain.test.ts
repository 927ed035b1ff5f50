/**
 * The tamper-evident audit (issue #12): every audit row carries the hash of
 * the one before it in its instance's chain, made by Postgres as the row is
 * inserted; GET /api/process-instances/:id/audit/verify recomputes the chain
 * and names the first event that does not fit. Rows are changed and removed
 * here the only way anyone could: as the database's superuser, with the
 * append-only trigger switched off.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser, bearer } from '../../fixtures/people/client.js';

const xml = readFileSync(new URL('../../fixtures/integration/two-jobs.bpmn', import.meta.url), 'utf8');

describe('tamper-evident audit', () => {
  let t: TestWeft;

  beforeAll(async () => {
    t = await startTestWeft();
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml }])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** An instance run to its end: its two jobs completed by the API, as a worker would. */
  async function completedRun(jobType: string): Promise<string> {
    const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType } });
    for (const type of [jobType, `${jobType}-ship`]) {
      const job = await eventually(async () => (await t.api.post('/api/jobs/activate', { type, workerId: 'audit-test', maxJobs: 1 })).body.jobs[0]);
      expect((await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { [type.replace(/-/g, '_')]: 'done' } })).status).toBe(200);
    }
    await eventually(async () => (await t.api.get(`/api/process-instances/${started.body.id}`)).body.state === 'COMPLETED');
    return started.body.id;
  }

  /** Changes what was recorded, as only the database's superuser can. */
  async function asSuperuser(sql: string, bindings: unknown[]): Promise<void> {
    await t.weft.db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE audit DISABLE TRIGGER audit_no_update');
      await trx.raw(sql, bindings as never[]);
      await trx.raw('ALTER TABLE audit ENABLE TRIGGER audit_no_update');
    });
  }

  const verify = (id: string) => t.api.get(`/api/process-instances/${id}/audit/verify`);

  it('verifies the chain of a run, every event linked to the one before', async () => {
    // given
    const id = await completedRun('chain-ok');
    // when
    const res = await verify(id);
    // then
    const rows = await t.weft.db('audit_chained').where({ process_instance_id: id }).orderBy('chain_seq');
    expect(rows.length).toBeGreaterThan(5);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: true, events: rows.length, firstMismatch: null });
    expect(rows.map((r) => Number(r.chain_seq))).toEqual(rows.map((_r, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  });

  it('names the event whose payload was edited by hand in Postgres', async () => {
    // given a run, and one of its events with a payload changed afterwards
    const id = await completedRun('chain-edited');
    const rows = await t.weft.db('audit_chained').where({ process_instance_id: id }).orderBy('chain_seq');
    const victim = rows.find((r) => r.type === 'JOB_COMPLETED') ?? rows[3];
    await asSuperuser(`UPDATE audit SET payload = coalesce(payload, '{}'::jsonb) || '{"forged": true}'::jsonb WHERE id = ?`, [victim.id]);
    // when
    const res = await verify(id);
    // then
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.events).toBe(rows.length);
    expect(res.body.firstMismatch).toMatchObject({ id: String(victim.id), type: victim.type, reason: expect.stringMatching(/content does not match its hash/) });
    expect(res.body.firstMismatch.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('names the event after one that was deleted, and notices a chain cut short at its end', async () => {
    // given two runs: one loses an event in the middle, the other its last event
    const middle = await completedRun('chain-gap');
    const cut = await completedRun('chain-cut');
    const rows = await t.weft.db('audit_chained').where({ process_instance_id: middle }).orderBy('chain_seq');
    await asSuperuser('DELETE FROM audit WHERE id = ?', [rows[2].id]);
    const cutRows = await t.weft.db('audit_chained').where({ process_instance_id: cut }).orderBy('chain_seq');
    await asSuperuser('DELETE FROM audit WHERE id = ?', [cutRows.at(-1).id]);
    // when
    const gap = await verify(middle);
    const shortened = await verify(cut);
    // then
    expect(gap.body).toMatchObject({ valid: false, events: rows.length - 1, firstMismatch: { id: String(rows[3].id), type: rows[3].type } });
    expect(gap.body.firstMismatch.reason).toMatch(/1 event\(s\) before it are missing/);
    expect(shortened.body).toMatchObject({ valid: false, firstMismatch: { id: String(cutRows.at(-2).id), reason: expect.stringMatching(/the last 1 were removed/) } });
  });

  it('chains the events of no instance too, for admins to verify', async () => {
    // given events of no instance (a user and a token are added)
    await addUser(t.api, 'chain-admin-check', 'user');
    // when
    const res = await t.api.get('/api/audit/verify');
    // then
    const count = await t.weft.db('audit').whereNull('process_instance_id').count<{ count: string }[]>('* as count');
    expect(Number(count[0].count)).toBeGreaterThan(0);
    expect(res.body).toEqual({ valid: true, events: Number(count[0].count), firstMismatch: null });
  });

  it('keeps concurrent writers of one chain in one line', async () => {
    // given an instance, and many transactions adding events to its chain at once
    const id = await completedRun('chain-concurrent');
    await Promise.all(Array.from({ length: 20 }, (_v, i) => t.weft.db.transaction((trx) => trx('audit').insert({ process_instance_id: id, actor: 'test', type: 'CONCURRENT', payload: { i } }))));
    // when
    const res = await verify(id);
    // then
    expect(res.body.valid).toBe(true);
  });

  it('refuses a user or a modeler the verification with 403, and changes nothing', async () => {
    // given
    const id = await completedRun('chain-roles');
    const clients = [];
    for (const role of ['user', 'modeler'] as const) {
      await addUser(t.api, `chain-${role}`, role);
      const token = (await t.api.post('/api/tokens', { user: `chain-${role}`, name: 'chain' })).body.token;
      clients.push(bearer(t.weft.url!, token));
    }
    const before = await t.weft.db('audit_chain_heads').orderBy('chain');
    // when
    const answers = [];
    for (const client of clients) answers.push((await client.get(`/api/process-instances/${id}/audit/verify`)).status, (await client.get('/api/audit/verify')).status);
    // then
    expect(answers).toEqual([403, 403, 403, 403]);
    expect(await t.weft.db('audit_chain_heads').orderBy('chain')).toEqual(before);
  });

  it('answers 404 for an instance that does not exist', async () => {
    expect((await verify('3f2b9c1e-0d4a-4c1b-9a5e-7b8c6d5e4f3a')).status).toBe(404);
  });
});
