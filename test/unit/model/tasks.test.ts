import { describe, expect, it } from 'vitest';
import { around, compileOne, fixture } from './bpmn.js';

describe('compile: tasks', () => {
  it('compiles a service task with its job type, retries, headers and mappings', async () => {
    // given
    const xml = fixture('service-task.bpmn');
    // when
    const process = await compileOne(xml);
    // then
    expect(process.name).toBe('Charge card');
    expect(process.elements['charge-card']).toEqual({
      kind: 'serviceTask',
      id: 'charge-card',
      name: 'Charge card',
      parent: 'charge',
      incoming: ['f1'],
      outgoing: ['f2'],
      inputs: [
        { source: { feel: 'order.total' }, target: 'amount' },
        // without `=`, a source is a literal string, however much it looks like FEEL (as in Camunda 8)
        { source: { value: 'customer.id' }, target: 'customerId' },
      ],
      outputs: [{ source: { feel: 'receipt' }, target: 'paymentReceipt' }],
      jobType: { value: 'payment-service' },
      retries: { value: '5' },
      headers: { method: 'VISA', region: 'eu' },
    });
  });

  it('reads a mapping source without `=` as a literal string, as Camunda 8 does', async () => {
    // given a connector task whose inputs are mostly literals (regression: each was checked as FEEL and refused)
    const xml = fixture('literal-mappings.bpmn');
    // when
    const process = await compileOne(xml);
    // then
    expect(process.elements['call-api']).toMatchObject({
      inputs: [
        { source: { value: 'noAuth' }, target: 'authentication.type' },
        { source: { value: '{{secrets.API_KEY}}' }, target: 'apiKey' },
        { source: { value: 'https://example.com/orders' }, target: 'url' },
        { source: { value: '3' }, target: 'attempts' },
        { source: { feel: 'orderId' }, target: 'queryParameters.id' },
        // an empty source maps null
        { source: { feel: 'null' }, target: 'body' },
      ],
      outputs: [{ source: { value: 'fetched' }, target: 'status' }],
    });
  });

  it('keeps FEEL job types and retries as expressions', async () => {
    // when
    const process = await compileOne(fixture('service-task.bpmn'));
    // then
    expect(process.elements.notify).toMatchObject({
      jobType: { feel: '"notify-" + channel' },
      retries: { feel: 'maxRetries' },
      headers: {},
    });
  });

  it('defaults retries to "3"', async () => {
    // given
    const xml = around(`<bpmn:serviceTask id="s"><bpmn:extensionElements>
      <zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>`, 's');
    // when
    const process = await compileOne(xml);
    // then
    expect(process.elements.s).toMatchObject({ retries: { value: '3' } });
  });

  it('compiles a user task with assignment, schedule, form, priority and headers', async () => {
    // when
    const process = await compileOne(fixture('user-task.bpmn'));
    // then
    expect(process.elements.approve).toEqual({
      kind: 'userTask',
      id: 'approve',
      name: 'Approve',
      parent: 'approval',
      incoming: ['f1'],
      outgoing: ['f2'],
      inputs: [],
      outputs: [],
      headers: { ui: 'compact' },
      assignee: { feel: 'initiator' },
      candidateGroups: { value: 'managers, finance' },
      candidateUsers: { feel: '["ann", "bob"]' },
      dueDate: { value: '2030-01-01T12:00:00Z' },
      followUpDate: { feel: 'now() + duration("P1D")' },
      formId: 'approval-form',
      priority: { value: '75' },
    });
  });

  it('accepts the legacy formKey', async () => {
    // when
    const process = await compileOne(fixture('user-task.bpmn'));
    // then
    expect(process.elements.review).toMatchObject({ kind: 'userTask', formKey: 'camunda-forms:bpmn:review-form', headers: {} });
    expect(process.elements.review).not.toHaveProperty('assignee');
  });

  it('compiles a script task with its FEEL expression and result variable', async () => {
    // given
    const xml = around(`<bpmn:scriptTask id="sum"><bpmn:extensionElements>
      <zeebe:script expression="=a + b" resultVariable="total"/></bpmn:extensionElements></bpmn:scriptTask>`, 'sum');
    // when
    const process = await compileOne(xml);
    // then
    expect(process.elements.sum).toMatchObject({ kind: 'scriptTask', expression: 'a + b', resultVariable: 'total' });
  });

  it('compiles undefined and manual tasks with their mappings', async () => {
    // given
    const task = await compileOne(around(`<bpmn:task id="t"><bpmn:extensionElements><zeebe:ioMapping>
      <zeebe:output source="=1" target="one"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>`, 't'));
    const manual = await compileOne(around('<bpmn:manualTask id="m" name="Do it"/>', 'm'));
    // then
    expect(task.elements.t).toEqual({
      kind: 'task', id: 't', parent: 'p', incoming: ['f1'], outgoing: ['f2'], inputs: [], outputs: [{ source: { feel: '1' }, target: 'one' }],
    });
    expect(manual.elements.m).toMatchObject({ kind: 'manualTask', name: 'Do it' });
  });
});
