/** The migration's backfill reads `historyTimeToLive` from a stored diagram under any prefix bound to Camunda 7's namespace. */
import { describe, expect, it } from 'vitest';
import { storedCamunda7Ttl } from '../../../db/migrations/20261214000400_history_retention.js';

const diagram = (prefix: string, attrs: string) =>
  `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:${prefix}="http://camunda.org/schema/1.0/bpmn">
     <bpmn:process id="other" ${prefix}:historyTimeToLive="1"/>
     <bpmn:process id="order" isExecutable="true" ${attrs}><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>`;

describe('storedCamunda7Ttl', () => {
  it('reads days and day durations of the named process under any prefix', () => {
    expect(storedCamunda7Ttl(diagram('camunda', 'camunda:historyTimeToLive="180"'), 'order')).toEqual({ days: 180 });
    expect(storedCamunda7Ttl(diagram('c7', "c7:historyTimeToLive='P30D'"), 'order')).toEqual({ days: 30 });
    expect(storedCamunda7Ttl(diagram('c7', 'c7:historyTimeToLive=" 0 "'), 'order')).toEqual({ days: 0 });
  });

  it('answers unset for an empty or absent value, or an attribute of another namespace', () => {
    expect(storedCamunda7Ttl(diagram('camunda', 'camunda:historyTimeToLive=""'), 'order')).toBeUndefined();
    expect(storedCamunda7Ttl(diagram('camunda', ''), 'order')).toBeUndefined();
    expect(storedCamunda7Ttl(diagram('camunda', 'zeebe:historyTimeToLive="5"'), 'order')).toBeUndefined();
  });

  it('marks anything else unreadable', () => {
    expect(storedCamunda7Ttl(diagram('camunda', 'camunda:historyTimeToLive="P6M"'), 'order')).toEqual({ unreadable: 'P6M' });
    expect(storedCamunda7Ttl(diagram('camunda', 'camunda:historyTimeToLive="99999"'), 'order')).toEqual({ unreadable: '99999' });
  });
});
