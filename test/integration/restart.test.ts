/**
 * Every wait state survives a stop of the engine: state is in Postgres, so a
 * new engine process continues where the old one stopped.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const orderApproval = readFileSync(new URL('../../processes/order-approval.bpmn', import.meta.url), 'utf8');

describe('stop the engine, start another, continue', () => {
  let t: TestWeft;
  let second: Weft | undefined;
  beforeAll(async () => {
    t = await startTestWeft();
  });
  afterAll(async () => {
    await second?.close();
    await t?.stop();
  });

  it('a service task job and a user task wait through a restart', async () => {
    // given an instance waiting at a service task, on an engine that then stops
    await t.weft.engine.deploy([{ name: 'order-approval.bpmn', content: orderApproval }], 'test');
    const { id } = await t.weft.engine.startInstance({ processId: 'order-approval', variables: { amount: 5000, orderId: 'o-9' } }, 'test');
    await t.weft.close();

    // when a new engine process starts on the same database and Redis, with workers
    second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false });
    second.worker('check-stock', () => ({ inStock: true }));
    second.worker('ship', () => ({ trackingNumber: 'T-1' }));

    // then the job is worked, the user task appears, and completing it finishes the instance
    const task = await eventually(async () => (await second!.engine.listTasks({ processInstanceId: id, state: 'CREATED', limit: 10, offset: 0 })).items[0]);
    await second.engine.completeTask(task.id, { approved: true }, 'user:ann');
    const done = await eventually(async () => {
      const detail = await second!.engine.getInstance(id);
      return detail.state === 'COMPLETED' && detail;
    });
    expect(done.variables).toMatchObject({ inStock: true, approved: true, tracking: 'T-1' });
  });
});
