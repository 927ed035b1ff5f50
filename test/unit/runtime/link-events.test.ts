import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

describe('runtime: link events', () => {
  it('the token jumps from the link throw to the link catch event of the same name', async () => {
    const s = scenario(await compiled('link-events.bpmn')).start();
    s.completeTask('first');
    expect(liveElements(s.state)).toEqual(['second']);
    expect(s.activated()).toEqual(['to-second', 'second-here', 'second']);
    s.completeTask('second');
    expect(s.state.status).toBe('COMPLETED');
  });

  it('refuses a link throw whose name has no catch event in its scope', async () => {
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />
      <bpmn:intermediateThrowEvent id="t"><bpmn:linkEventDefinition name="NOWHERE" /></bpmn:intermediateThrowEvent></bpmn:process></bpmn:definitions>`;
    const { problems } = await compile(xml, 'l.bpmn');
    expect(problems).toMatchObject([{ elementId: 't', field: 'linkEventDefinition.name', message: expect.stringContaining('no link catch event') }]);
  });
});
