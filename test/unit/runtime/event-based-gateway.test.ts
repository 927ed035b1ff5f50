import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

// event-based-gateway.bpmn: `wait` races message `paid` (→ ship) against a P2D timer `deadline` (→ remind).
describe('runtime: event-based gateway', () => {
  it('waits at the gateway for both events', async () => {
    const s = scenario(await compiled('event-based-gateway.bpmn')).start({ orderId: 'o-7' });
    expect(liveElements(s.state)).toEqual(['wait']);
    expect(s.waits()).toEqual(['message:payment', 'timer:deadline']);
    expect(s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION')[0].subscription).toMatchObject({ messageName: 'paid', correlationKey: 'o-7' });
  });

  it('the message wins: the timer is withdrawn in the same step and the message variables arrive', async () => {
    const s = scenario(await compiled('event-based-gateway.bpmn')).start({ orderId: 'o-7' });
    s.correlate('payment', { paidAt: 'today' });
    expect(s.effectsOf('CLOSE_TIMER')).toMatchObject([{ state: 'CANCELED' }]);
    expect(s.waits()).toEqual([]);
    expect(liveElements(s.state)).toEqual(['ship']);
    expect(s.rootVariables()).toMatchObject({ paidAt: 'today' });
    expect(s.activated()).toEqual(['payment', 'ship']);
  });

  it('the timer wins: the subscription is withdrawn', async () => {
    const s = scenario(await compiled('event-based-gateway.bpmn')).start({ orderId: 'o-7' });
    s.fireTimer('deadline');
    expect(s.effectsOf('CLOSE_MESSAGE_SUBSCRIPTION')).toMatchObject([{ state: 'CLOSED' }]);
    expect(liveElements(s.state)).toEqual(['remind']);
  });

  it('a correlation key that does not evaluate is an incident on the gateway, and nothing is opened', async () => {
    const s = scenario(await compiled('event-based-gateway.bpmn')).start();
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'wait' });
    expect(s.waits()).toEqual([]);
    expect(s.effectsOf('OPEN_TIMER')).toEqual([]);
  });

  it('refuses a gateway followed by anything but catch events', async () => {
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g" /><bpmn:eventBasedGateway id="g" />
      <bpmn:sequenceFlow id="f1" sourceRef="g" targetRef="a" /><bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="b" />
      <bpmn:task id="a" /><bpmn:intermediateCatchEvent id="b"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      </bpmn:process></bpmn:definitions>`;
    const { problems } = await compile(xml, 'g.bpmn');
    expect(problems).toMatchObject([{ elementId: 'a', message: expect.stringContaining('is not a timer, message or signal intermediate catch event') }]);
  });
});
