import { describe, expect, it } from 'vitest';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

// signal-events.bpmn: three branches — `watch` (interrupting boundary on signal `stop`), `work` (non-interrupting
// boundary on `ping`; then throws `stop`), and a catch event waiting for `go`.
const live = (s: ReturnType<typeof scenario>) => liveElements(s.state).sort();

describe('runtime: signal events', () => {
  it('subscribes every catcher by signal name', async () => {
    const s = scenario(await compiled('signal-events.bpmn')).start();
    expect(s.effectsOf('OPEN_SIGNAL_SUBSCRIPTION').map((e) => e.subscription.signalName).sort()).toEqual(['go', 'ping', 'stop']);
  });

  it('a broadcast from outside reaches the catch event with its variables', async () => {
    const s = scenario(await compiled('signal-events.bpmn')).start();
    s.run({ type: 'DELIVER_SIGNAL', name: 'go', signalKey: 'sig-1', variables: { by: 'ops' } });
    expect(live(s)).toEqual(['watch', 'went', 'work']);
    expect(s.rootVariables()).toMatchObject({ by: 'ops' });
    expect(s.rejected({ type: 'DELIVER_SIGNAL', name: 'go', signalKey: 'sig-2', variables: {} }).code).toBe('SUBSCRIPTION_NOT_OPEN');
  });

  it('a non-interrupting boundary starts a path for every broadcast and stays subscribed', async () => {
    const s = scenario(await compiled('signal-events.bpmn')).start();
    s.run({ type: 'DELIVER_SIGNAL', name: 'ping', signalKey: 'sig-1', variables: {} });
    s.run({ type: 'DELIVER_SIGNAL', name: 'ping', signalKey: 'sig-2', variables: {} });
    expect(live(s)).toEqual(['answer', 'answer', 'wait-go', 'watch', 'work']);
  });

  it('a throw event reaches catchers in its own instance in the same step, and is broadcast to the others', async () => {
    const s = scenario(await compiled('signal-events.bpmn')).start();
    s.completeTask('work');
    expect(live(s)).toEqual(['wait-go']);
    expect(s.activated()).toEqual(expect.arrayContaining(['throw-stop', 'stopped', 'stopped-end', 'work-end']));
    expect(s.effectsOf('BROADCAST_SIGNAL')).toMatchObject([{ name: 'stop', variables: {} }]);
    expect(s.waits()).toEqual(['signal:wait-go']);
  });
});

describe('runtime: signal names', () => {
  it('a signal name longer than a subscription can hold is an incident, not a failed write', async () => {
    const { compile } = await import('../../../engine/model/index.js');
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:signal id="sig" name="=name" />
      <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="wait" />
      <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent></bpmn:process></bpmn:definitions>`;
    const { processes } = await compile(xml, 's.bpmn');
    const s = scenario(processes[0]).start({ name: 'x'.repeat(801) });
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'wait', message: expect.stringContaining('longer than 800 bytes') });
    expect(s.effectsOf('OPEN_SIGNAL_SUBSCRIPTION')).toEqual([]);
  });
});
