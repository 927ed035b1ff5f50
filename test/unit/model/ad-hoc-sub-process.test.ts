import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { processXml } from './bpmn.js';

const adHoc = (inner: string, extensions = '<zeebe:taskHeaders><zeebe:header key="agent" value="helper"/></zeebe:taskHeaders>') =>
  processXml(`
    <bpmn:startEvent id="start"/>
    <bpmn:adHocSubProcess id="helper">
      <bpmn:extensionElements>${extensions}</bpmn:extensionElements>
      ${inner}
    </bpmn:adHocSubProcess>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="helper"/>
    <bpmn:sequenceFlow id="f2" sourceRef="helper" targetRef="end"/>`);

describe('compile: ad-hoc sub-process with an agent', () => {
  it('lists the activities without incoming flows as choosable, and defaults the job type to agent', async () => {
    // when
    const result = await compile(
      adHoc(`
        <bpmn:serviceTask id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="lookup"/></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:userTask id="ask"/>
        <bpmn:task id="then"/>
        <bpmn:sequenceFlow id="i1" sourceRef="ask" targetRef="then"/>`),
      'a.bpmn',
    );
    // then
    expect(result.problems).toEqual([]);
    expect(result.processes[0].elements.helper).toMatchObject({ kind: 'adHocSubProcess', activities: ['lookup', 'ask'], jobType: { value: 'agent' }, headers: { agent: 'helper' }, children: ['lookup', 'ask', 'then'] });
  });

  it('needs an agent, and no start event', async () => {
    const result = await compile(adHoc('<bpmn:startEvent id="s"/><bpmn:task id="t"/>', ''), 'a.bpmn');
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/needs an agent to choose its activities/),
      expect.stringMatching(/cannot contain a start event/),
    ]);
  });
});
