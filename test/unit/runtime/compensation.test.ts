import { describe, expect, it } from 'vitest';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

const live = (s: ReturnType<typeof scenario>) => liveElements(s.state).sort();
const tasks = (s: ReturnType<typeof scenario>, id: string) => Object.values(s.state.elements).filter((e) => e.elementId === id && e.taskId);

// compensation.bpmn: book-hotel (handler cancel-hotel), then sub-process `flights` with book-flight per leg
// (multi-instance, handler cancel-flight), then `pay`; not ok → compensate only `flights`, or everything.
describe('runtime: compensation', () => {
  it('compensates one completed sub-process: a handler per completed run, with that run\'s variables, and waits for them', async () => {
    const s = scenario(await compiled('compensation.bpmn')).start({ legs: ['out', 'back'] });
    s.completeTask('pay', { ok: false, onlyFlights: true });
    const handlers = tasks(s, 'cancel-flight');
    expect(handlers.map((h) => h.variables?.leg)).toEqual(['back', 'out']);
    expect(live(s)).toEqual(['cancel-flight', 'cancel-flight', 'undo-flights']);
    for (const h of handlers) s.run({ type: 'COMPLETE_TASK', taskId: h.taskId!, variables: {} });
    expect(live(s)).toEqual(['after-undo']);
    expect(tasks(s, 'cancel-hotel')).toEqual([]);
  });

  it('a compensation end event without activityRef compensates everything completed in its scope, most recent first', async () => {
    const s = scenario(await compiled('compensation.bpmn')).start({ legs: ['out'] });
    s.completeTask('pay', { ok: false, onlyFlights: false });
    const started = s.audits().find((a) => a.type === 'COMPENSATION_STARTED');
    expect(started?.payload?.handlers).toEqual(['cancel-flight', 'cancel-hotel']);
    expect(live(s)).toEqual(['cancel-flight', 'cancel-hotel', 'undo-all']);
    s.completeTask('cancel-hotel');
    expect(s.state.status).toBe('ACTIVE');
    s.completeTask('cancel-flight');
    expect(s.state.status).toBe('COMPLETED');
  });

  it('nothing is compensated when all went well', async () => {
    const s = scenario(await compiled('compensation.bpmn')).start({ legs: ['out'] });
    s.completeTask('pay', { ok: true });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.audits().filter((a) => a.type === 'COMPENSATION_STARTED')).toEqual([]);
  });
});

// transaction.bpmn: tx = reserve (handler release) → ask → yes: complete / abort: error ABORT / else: cancel end.
describe('runtime: transaction', () => {
  it('a cancel end compensates the transaction while it stays active, then leaves by the cancel boundary', async () => {
    const s = scenario(await compiled('transaction.bpmn')).start();
    s.completeTask('ask', { answer: 'no' });
    expect(live(s)).toEqual(['cancel', 'release', 'tx']);
    s.completeTask('release');
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).toEqual(expect.arrayContaining(['canceled', 'canceled-end']));
    expect(s.activated()).not.toContain('end');
  });

  it('a transaction that completes is not compensated', async () => {
    const s = scenario(await compiled('transaction.bpmn')).start();
    s.completeTask('ask', { answer: 'yes' });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).toContain('end');
  });

  it('an error leaves by the error boundary with no compensation', async () => {
    const s = scenario(await compiled('transaction.bpmn')).start();
    s.completeTask('ask', { answer: 'abort' });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).toContain('errored-end');
    expect(s.audits().filter((a) => a.type === 'COMPENSATION_STARTED')).toEqual([]);
  });
});
