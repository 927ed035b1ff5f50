import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { definitions } from './bpmn.js';

function withBoundary(boundary: string, error = '<bpmn:error id="err" errorCode="REJECTED" />'): string {
  return definitions(`
    <bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="start"/>
      <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="caught"/>
      ${boundary}
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
      <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
      <bpmn:sequenceFlow id="f3" sourceRef="on-error" targetRef="caught"/>
    </bpmn:process>
    ${error}`);
}

describe('compile: error boundary events', () => {
  it('compiles an interrupting error boundary event with its host and error code', async () => {
    // when
    const result = await compile(withBoundary('<bpmn:boundaryEvent id="on-error" attachedToRef="work"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'), 'b.bpmn');
    // then
    expect(result.problems).toEqual([]);
    expect(result.processes[0].elements['on-error']).toMatchObject({ kind: 'errorBoundaryEvent', attachedTo: 'work', errorCode: 'REJECTED', outgoing: ['f3'], parent: 'p' });
  });

  it('compiles a catch-all boundary event (no errorRef) without an error code', async () => {
    const result = await compile(withBoundary('<bpmn:boundaryEvent id="on-error" attachedToRef="work"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>'), 'b.bpmn');
    expect(result.problems).toEqual([]);
    expect(result.processes[0].elements['on-error']).not.toHaveProperty('errorCode');
  });

  it('refuses a non-interrupting error boundary event and an error without a code', async () => {
    const nonInterrupting = await compile(withBoundary('<bpmn:boundaryEvent id="on-error" attachedToRef="work" cancelActivity="false"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'), 'b.bpmn');
    expect(nonInterrupting.problems.map((p) => [p.elementId, p.field])).toContainEqual(['on-error', 'cancelActivity']);
    const noCode = await compile(withBoundary('<bpmn:boundaryEvent id="on-error" attachedToRef="work"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>', '<bpmn:error id="err"/>'), 'b.bpmn');
    expect(noCode.problems.map((p) => p.message)).toEqual([expect.stringMatching(/has no errorCode/)]);
  });

  it('still reports other boundary events as not supported', async () => {
    const result = await compile(withBoundary('<bpmn:boundaryEvent id="on-error" attachedToRef="work"><bpmn:conditionalEventDefinition/></bpmn:boundaryEvent>'), 'b.bpmn');
    expect(result.problems.map((p) => p.message)).toEqual(['bpmn:BoundaryEvent "on-error" (bpmn:ConditionalEventDefinition) is not supported by Weft yet']);
  });
});

describe('compile: error references', () => {
  it('reads an errorRef that names no bpmn:Error as the error code, as Camunda 7 does', async () => {
    const { readFileSync } = await import('node:fs');
    const xml = readFileSync(new URL('../../fixtures/model/error-end-dangling-ref.bpmn', import.meta.url), 'utf8');
    const { processes, problems } = await compile(xml, 'dangling.bpmn');
    expect(problems).toEqual([]);
    expect(processes[0].elements.e).toMatchObject({ kind: 'errorEndEvent', errorCode: 'myError' });
  });
});
