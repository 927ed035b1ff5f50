import { describe, expect, it } from 'vitest';
import { compileXml, fixture, summary } from './bpmn.js';

describe('compile: unsupported elements', () => {
  it('lists every unsupported element with its id and BPMN kind, not just the first', async () => {
    // given a process mixing supported and unsupported elements
    const xml = fixture('unsupported-mix.bpmn');
    // when
    const { processes, problems } = await compileXml(xml);
    // then
    expect(processes).toEqual([]);
    expect(summary(problems)).toEqual([
      'timer-start||bpmn:StartEvent "timer-start" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
      'review|loopCharacteristics|bpmn:UserTask "review" has multi-instance (bpmn:MultiInstanceLoopCharacteristics), which is not supported by Weft yet',
      'timeout||bpmn:BoundaryEvent "timeout" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
      'wait-payment||bpmn:IntermediateCatchEvent "wait-payment" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
      'call||bpmn:CallActivity "call" is not supported by Weft yet',
      'send||bpmn:ComplexGateway "send" is not supported by Weft yet',
      'race||bpmn:Transaction "race" is not supported by Weft yet',
      'error-start||bpmn:StartEvent "error-start" (bpmn:ConditionalEventDefinition start of an event sub-process) is not supported by Weft yet',
      'end-msg||bpmn:EndEvent "end-msg" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
    ]);
    expect(problems[4]).toEqual({
      file: 'test.bpmn',
      elementId: 'call',
      elementKind: 'bpmn:CallActivity',
      message: 'bpmn:CallActivity "call" is not supported by Weft yet',
    });
  });
});
