/**
 * A process's history time-to-live (issue #13): Camunda 7's
 * camunda:historyTimeToLive (days or P<n>D), or the weft:historyTimeToLive
 * zeebe:property; compiled into the model, a deploy problem when invalid.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/compile.js';
import { MAX_TTL_DAYS, parseTtlDays } from '../../../engine/model/history-ttl.js';
import { loadConfig } from '../../../engine/config.js';

const process = (attrs: string, extensions = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:c7="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://weft.dev/test">
  <bpmn:process id="p" isExecutable="true" ${attrs}>${extensions ? `<bpmn:extensionElements>${extensions}</bpmn:extensionElements>` : ''}
    <bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;
const property = (value: string) => `<zeebe:properties><zeebe:property name="weft:historyTimeToLive" value="${value}" /></zeebe:properties>`;

describe('history time-to-live', () => {
  it('reads days and ISO 8601 durations in days', () => {
    expect(parseTtlDays('30')).toEqual({ days: 30 });
    expect(parseTtlDays(' P180D ')).toEqual({ days: 180 });
    expect(parseTtlDays('0')).toEqual({ days: 0 });
    expect(parseTtlDays(String(MAX_TTL_DAYS))).toEqual({ days: MAX_TTL_DAYS });
  });

  it('refuses what is not a number of days', () => {
    for (const text of ['', '-1', '1.5', 'P1M', 'P1Y', 'PT24H', 'thirty', 'P30DT1H']) expect(parseTtlDays(text), text).toHaveProperty('problem');
    expect(parseTtlDays(String(MAX_TTL_DAYS + 1))).toEqual({ problem: `must be at most ${MAX_TTL_DAYS} days, not ${MAX_TTL_DAYS + 1}` });
  });

  it('compiles camunda:historyTimeToLive under any prefix bound to Camunda 7', async () => {
    // when
    const { processes, problems } = await compile(process('c7:historyTimeToLive="P5D"'), 'p.bpmn');
    // then
    expect(problems).toEqual([]);
    expect(processes[0].historyTtlDays).toBe(5);
  });

  it('compiles the weft:historyTimeToLive property, and nothing when neither is set', async () => {
    expect((await compile(process('', property('90')), 'p.bpmn')).processes[0].historyTtlDays).toBe(90);
    expect((await compile(process(''), 'p.bpmn')).processes[0]).not.toHaveProperty('historyTtlDays');
    expect((await compile(process('c7:historyTimeToLive=""'), 'p.bpmn')).processes[0]).not.toHaveProperty('historyTtlDays');
  });

  it('is a deploy problem naming the file, process and field when invalid', async () => {
    const { processes, problems } = await compile(process('c7:historyTimeToLive="P1M"'), 'p.bpmn');
    expect(processes).toEqual([]);
    expect(problems).toEqual([
      { file: 'p.bpmn', elementId: 'p', elementKind: 'bpmn:Process', field: 'camunda:historyTimeToLive', message: 'History time-to-live of process "p" must be a whole number of days (e.g. 30) or an ISO 8601 duration in days (e.g. P30D), not "P1M"' },
    ]);
  });

  it('is a deploy problem when the two ways disagree', async () => {
    const { problems } = await compile(process('c7:historyTimeToLive="30"', property('P60D')), 'p.bpmn');
    expect(problems).toMatchObject([{ elementId: 'p', field: 'zeebe:properties.weft:historyTimeToLive', message: expect.stringMatching(/disagree: 30 days .* and 60 days/) }]);
    expect((await compile(process('c7:historyTimeToLive="30"', property('P30D')), 'p.bpmn')).problems).toEqual([]);
  });

  it('reads WEFT_HISTORY_TTL_DAYS: unset keeps forever, a bad value stops the start naming the variable', () => {
    expect(loadConfig({}).historyRetention).toEqual({ ttlDays: null, batchSize: 500, pauseMs: 1000, pollMs: 60_000, archiveDir: null });
    expect(loadConfig({ WEFT_HISTORY_TTL_DAYS: 'P7D', WEFT_HISTORY_BATCH_SIZE: '3' }).historyRetention).toMatchObject({ ttlDays: 7, batchSize: 3 });
    expect(loadConfig({ WEFT_HISTORY_TTL_DAYS: '' }).historyRetention?.ttlDays).toBeNull(); // a compose file's `WEFT_HISTORY_TTL_DAYS=`
    expect(loadConfig({ WEFT_HISTORY_TTL_DAYS: '  ' }).historyRetention?.ttlDays).toBeNull();
    expect(loadConfig({ WEFT_HISTORY_TTL_DAYS: '0' }).historyRetention?.ttlDays).toBe(0);
    expect(() => loadConfig({ WEFT_HISTORY_TTL_DAYS: '1 week' })).toThrow(/WEFT_HISTORY_TTL_DAYS: must be a whole number of days/);
    expect(() => loadConfig({ WEFT_HISTORY_BATCH_SIZE: '5000' })).toThrow(/WEFT_HISTORY_BATCH_SIZE: must be at most 2000/);
  });
});
