/**
 * Compensation and transactions: EXPECTATIONS.md entries 42–44, from Camunda
 * 7's own tests. Their Java delegates become jobs the harness works (see
 * harness/dialects.ts): `${true}` does nothing, UndoService counts its calls
 * in the variable its `counterName` field names.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { start, World } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: compensation', () => {
  expectation(42, 'CompensateEventTest.testCompensateSubprocess — compensating the sub-process undoes each of the 5 bookings once', async () => {
    const run = await start(file('CompensateEventTest.testCompensateSubprocess'));
    expect(run.variables.undoBookHotel).toBe(5);
    expect(run.active()).toEqual(['beforeEnd']);
    run.trigger('beforeEnd');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(43, 'CompensateEventTest.testCompensateActivityRef — compensating bookHotel undoes only the hotel bookings', async () => {
    const run = await start(file('CompensateEventTest.testCompensateActivityRef'));
    expect(run.variables.undoBookHotel).toBe(5);
    expect(run.variables).not.toHaveProperty('undoBookFlight');
    expect(run.active()).toEqual(['beforeEnd']);
    run.trigger('beforeEnd');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(44, 'TransactionSubProcessTest.testWaitstateCompensationHandler — a cancel end compensates with user tasks, then the cancel boundary fires', async () => {
    const world = await World.deploy(file('TransactionSubProcessTest.testWaitstateCompensationHandler'));
    const run = world.start();
    const handlers = () => world.subscriptions().filter((s) => s.kind === 'compensation').map((s) => s.elementId).sort();
    expect(handlers()).toEqual(['undoBookFlight', ...Array(5).fill('undoBookHotel')]);
    expect(run.taskElements()).toEqual(['askCustomer']);
    run.complete('askCustomer', { confirmed: false });
    expect(run.taskElements()).toEqual(['undoBookFlight', ...Array(5).fill('undoBookHotel')]);
    expect(run.active()).toEqual(expect.arrayContaining(['tx', 'failure']));
    for (const task of run.taskList()) run.complete(task.elementId);
    expect(run.active()).toEqual(['afterCancellation']);
    expect(handlers()).toEqual([]);
    run.trigger('afterCancellation');
    expect(run.status).toBe('COMPLETED');
  });
});
