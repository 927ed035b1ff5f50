/**
 * Conformance against the third-party corpus in shared/corpus (see its
 * README.md): whatever the file, compile() answers with processes or
 * problems and never throws.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, compile } from '../../../engine/model/index.js';
import { CORPUS_DIR } from '../../support/corpus.js';

const CORPUS = CORPUS_DIR ?? '/nonexistent';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : /\.(bpmn|xml)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

const compileFile = (name: string) => compile(readFileSync(join(CORPUS, name), 'utf8'), name);

describe.skipIf(!CORPUS_DIR)('compile: the external corpus', () => {
  it('answers every file with processes or problems, never by throwing', async () => {
    for (const file of files(CORPUS)) {
      // when
      const result = await compile(readFileSync(file, 'utf8'), relative(CORPUS, file));
      // then
      expect(result.processes.length + result.problems.length, file).toBeGreaterThan(0);
      expect(result.processes.length === 0 || result.problems.length === 0, file).toBe(true);
    }
  });

  it.each([
    ['camunda7/ParallelGatewayTest.testForkJoin.bpmn20.xml', ['forkJoin']],
    ['camunda7/ParallelGatewayTest.testNestedForkJoin.bpmn20.xml', ['nestedForkJoin']],
    ['camunda7/ParallelGatewayTest.testUnbalancedForkJoin.bpmn20.xml', ['UnbalancedForkJoin']],
    ['camunda7/ExclusiveGatewayTest.testMergingExclusiveGateway.bpmn20.xml', ['exclusiveGwMerging']],
    ['camunda7/SubProcessTest.testNestedSimpleSubProcess.bpmn20.xml', ['nestedSimpleSubProcess']],
    ['camunda7/TerminateEndEventTest.testTerminateInSubProcess.bpmn', ['terminateEndEventExample']],
    ['bpmn-elements/two-executable-processes.bpmn', ['Process_1', 'Process_2']],
    ['miwg/A.1.0.bpmn', ['WFP-6-']],
  ])('compiles %s cleanly', async (file, ids) => {
    // when
    const { processes, problems } = await compileFile(file);
    // then
    expect(problems).toEqual([]);
    expect(processes.map((p) => p.id)).toEqual(ids);
  });

  it('compiles terminate end events inside a sub-process from Camunda 7', async () => {
    // when
    const { processes } = await compileFile('camunda7/TerminateEndEventTest.testTerminateInSubProcess.bpmn');
    // then
    const kinds = Object.values(processes[0].elements).map((e) => e.kind);
    expect(kinds).toContain('terminateEndEvent');
    expect(kinds).toContain('subProcess');
  });

  it.each([
    ['camunda7/IntermediateTimerEventTest.testCatchingTimerEvent.bpmn20.xml', 'timerCatchEvent'],
    ['camunda7/StartTimerEventTest.testDurationStartTimerEvent.bpmn20.xml', 'timerStartEvent'],
    ['camunda7/BoundaryTimerEventTest.testInterruptingTimerDuration.bpmn20.xml', 'timerBoundaryEvent'],
    ['camunda7/MessageIntermediateEventTest.testSingleIntermediateMessageEvent.bpmn20.xml', 'messageCatchEvent'],
    ['camunda7/MessageBoundaryEventTest.testSingleBoundaryMessageEvent.bpmn20.xml', 'messageBoundaryEvent'],
  ])('compiles the timer or message events of %s', async (file, kind) => {
    // when
    const { processes, problems } = await compileFile(file);
    // then
    expect(problems).toEqual([]);
    expect(Object.values(processes[0].elements).map((e) => e.kind)).toContain(kind);
  });

  it('reports JUEL conditions of Camunda 7 files as broken FEEL', async () => {
    // when
    const { problems } = await compileFile('camunda7/ExclusiveGatewayTest.testDivergingExclusiveGateway.bpmn20.xml');
    // then
    expect(problems.map((p) => `${p.elementId}|${p.field}`)).toEqual([
      'flow2|conditionExpression',
      'flow3|conditionExpression',
      'flow4|conditionExpression',
    ]);
  });

  it('tells the parser error fixtures apart', async () => {
    // when / then
    expect(classify((await compileFile('bpmn-moddle/error/not-bpmn.bpmn')).problems)).toBe('not-bpmn');
    expect(classify((await compileFile('bpmn-moddle/error/duplicate-ids.bpmn')).problems)).toBe('invalid');
  });
});
