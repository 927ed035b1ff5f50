/**
 * Batches made at the same moment: each is made (the audit's hash chain
 * serialises their creation audits; a snapshot read must not turn that
 * into a serialization failure, a 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';

describe('batches made at once', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are all made, each with its creation audited', async () => {
    // given twenty operators' requests arriving together
    const body = { kind: 'retry', filter: { processId: 'nothing-runs-here', state: 'ACTIVE' }, retries: 2, reason: 'at once' };

    // when they are sent at the same time
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.api.post('/api/batch-operations', body)));

    // then every one is a batch, and the audit's chain of events of no instance still verifies
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const audited = await t.weft.db('audit').where({ type: 'BATCH_OPERATION_CREATED' }).count<{ count: string }[]>('* as count');
    expect(Number(audited[0].count)).toBe(20);
    expect((await t.api.get('/api/audit/verify')).body).toMatchObject({ valid: true });
  });
});
