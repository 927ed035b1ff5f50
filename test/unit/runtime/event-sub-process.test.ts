import { describe, expect, it } from 'vitest';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

// event-sub-processes.bpmn: the process runs `fulfil` (pick → maybe error NO_STOCK, or escalation LATE → pack);
// process level: interrupting message `cancel-order` → refund; non-interrupting message `note` → read-note;
// non-interrupting timer R2/PT1H → remind (a job). Inside `fulfil`: error NO_STOCK → backorder (interrupting),
// escalation LATE → apologise (non-interrupting).
const live = (s: ReturnType<typeof scenario>) => liveElements(s.state).sort();

describe('runtime: event sub-processes', () => {
  it('opens the waits of the scope\'s event sub-processes with the scope', async () => {
    const s = scenario(await compiled('event-sub-processes.bpmn')).start({ orderId: 'o-1' });
    expect(s.waits()).toEqual(['message:cancel-start', 'message:note-start', 'timer:reminder-start']);
    expect(live(s)).toEqual(['fulfil', 'pick']);
  });

  it('an interrupting message ends everything else in the scope, withdraws the other waits, and the instance ends with it', async () => {
    const s = scenario(await compiled('event-sub-processes.bpmn')).start({ orderId: 'o-1' });
    s.correlate('cancel-start', { reason: 'changed my mind' });
    expect(live(s)).toEqual(['on-cancel', 'refund']);
    expect(s.waits()).toEqual([]);
    expect(s.rootVariables()).toMatchObject({ reason: 'changed my mind' });
    s.completeTask('refund');
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).not.toContain('end');
  });

  it('a non-interrupting message runs beside the rest, again for each message, and the instance waits for all', async () => {
    const s = scenario(await compiled('event-sub-processes.bpmn')).start({ orderId: 'o-1' });
    s.correlate('note-start', { note: 'one' });
    s.correlate('note-start', { note: 'two' });
    expect(live(s)).toEqual(['fulfil', 'on-note', 'on-note', 'pick', 'read-note', 'read-note']);
    s.completeTask('pick', { inStock: true, late: false });
    expect(s.state.status).toBe('ACTIVE');
    for (const task of Object.values(s.state.elements).filter((e) => e.elementId === 'read-note')) {
      s.run({ type: 'COMPLETE_TASK', taskId: task.taskId!, variables: {} });
    }
    expect(s.state.status).toBe('COMPLETED');
    expect(s.effectsOf('CLOSE_MESSAGE_SUBSCRIPTION').length + s.effectsOf('CLOSE_TIMER').length).toBe(3);
  });

  it('a non-interrupting timer cycle starts its event sub-process each time, as many times as the cycle says', async () => {
    const s = scenario(await compiled('event-sub-processes.bpmn')).start({ orderId: 'o-1' });
    s.fireTimer('reminder-start');
    expect(s.waits()).toContain('timer:reminder-start');
    s.fireTimer('reminder-start');
    expect(s.waits()).not.toContain('timer:reminder-start');
    expect(Object.values(s.state.elements).filter((e) => e.elementId === 'remind')).toHaveLength(2);
  });

  it('an error thrown in a sub-process is caught by the sub-process\'s error event sub-process, which ends the rest of it', async () => {
    const s = scenario(await compiled('event-sub-processes.bpmn')).start({ orderId: 'o-1' });
    s.completeTask('pick', { inStock: false });
    expect(live(s)).toEqual(['backorder', 'fulfil', 'on-no-stock']);
    s.completeTask('backorder');
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).toContain('end');
  });

  it('an escalation is caught by a non-interrupting escalation event sub-process; the thrower goes on', async () => {
    const s = scenario(await compiled('event-sub-processes.bpmn')).start({ orderId: 'o-1' });
    s.completeTask('pick', { inStock: true, late: true });
    expect(live(s)).toEqual(['apologise', 'fulfil', 'on-late', 'pack']);
    s.completeTask('pack');
    expect(live(s)).toEqual(['apologise', 'fulfil', 'on-late']);
    s.completeTask('apologise');
    expect(s.state.status).toBe('COMPLETED');
  });
});
