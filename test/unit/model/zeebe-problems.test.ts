import { describe, expect, it } from 'vitest';
import { around, compileXml, summary } from './bpmn.js';

const ext = (tag: string, id: string, extensions: string) =>
  around(`<bpmn:${tag} id="${id}"><bpmn:extensionElements>${extensions}</bpmn:extensionElements></bpmn:${tag}>`, id);

describe('compile: problems in Zeebe extensions', () => {
  it('requires a job type on a service task', async () => {
    // given
    const xml = around('<bpmn:serviceTask id="s"/>', 's');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(problems).toEqual([{
      file: 'test.bpmn',
      elementId: 's',
      elementKind: 'bpmn:ServiceTask',
      field: 'zeebe:taskDefinition.type',
      message: 'Service task "s" needs a job type (zeebe:taskDefinition type)',
    }]);
  });

  it('requires literal retries to be a non-negative integer', async () => {
    // given
    const xml = ext('serviceTask', 's', '<zeebe:taskDefinition type="t" retries="-1"/>');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      's|zeebe:taskDefinition.retries|Retries must be a non-negative integer or a FEEL expression, got "-1"',
    ]);
  });

  it('requires a target on every input and output mapping', async () => {
    // given
    const xml = ext('task', 't', '<zeebe:ioMapping><zeebe:input source="=1"/><zeebe:output source="=2" target=""/></zeebe:ioMapping>');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      't|zeebe:input.target|A zeebe:input mapping needs a target variable name',
      't|zeebe:output.target|A zeebe:output mapping needs a target variable name',
    ]);
  });

  it('requires both the expression and the result variable of a script task', async () => {
    // given
    const none = around('<bpmn:scriptTask id="s"/>', 's');
    // when
    const { problems } = await compileXml(none);
    // then
    expect(summary(problems)).toEqual([
      's|zeebe:script.expression|Script task "s" needs a FEEL expression (zeebe:script expression)',
      's|zeebe:script.resultVariable|Script task "s" needs a result variable (zeebe:script resultVariable)',
    ]);
  });

  it('runs a job-worker script task as a job, as Camunda 8 does', async () => {
    // given
    const xml = ext('scriptTask', 's', '<zeebe:taskDefinition type="script"/>');
    // when
    const { problems, processes } = await compileXml(xml);
    // then
    expect(problems).toEqual([]);
    expect(processes[0].elements.s).toMatchObject({ kind: 'serviceTask', jobType: { value: 'script' } });
  });

  it('checks literal priorities and due dates of user tasks', async () => {
    // given
    const xml = ext('userTask', 'u', '<zeebe:priorityDefinition priority="101"/><zeebe:taskSchedule dueDate="next tuesday"/>');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'u|zeebe:taskSchedule.dueDate|dueDate must be an ISO 8601 date-time or a FEEL expression, got "next tuesday"',
      'u|zeebe:priorityDefinition.priority|Priority must be an integer from 0 to 100 or a FEEL expression, got "101"',
    ]);
  });

  it('requires a key on every task header', async () => {
    // given
    const xml = ext('userTask', 'u', '<zeebe:taskHeaders><zeebe:header value="v"/></zeebe:taskHeaders>');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual(['u|zeebe:header.key|A zeebe:header needs a key']);
  });
});
