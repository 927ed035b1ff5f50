import { describe, expect, it } from 'vitest';
import { evaluateFeel } from '../../../engine/runtime/feel.js';
import { model } from './process-builder.js';
import { scenario } from './scenario.js';

const NOW = '2026-01-01T00:00:00.000Z';

describe('runtime: FEEL string literals over several lines', () => {
  it('evaluate to the text with its line breaks, as in Camunda 8', () => {
    // when
    const lf = evaluateFeel('"You are a helpful\nassistant. Summarise " + text', { text: 'the ticket' }, NOW);
    const crlf = evaluateFeel('"one\r\ntwo"', {}, NOW);
    const escaped = evaluateFeel('"one\\ntwo \\"quoted\\""', {}, NOW);
    // then
    expect(lf).toEqual({ ok: true, value: 'You are a helpful\nassistant. Summarise the ticket' });
    expect(crlf).toEqual({ ok: true, value: 'one\r\ntwo' });
    expect(escaped).toEqual({ ok: true, value: 'one\ntwo "quoted"' });
  });

  it('run in a script task inside the time bound, where the shape of the expression is read', () => {
    // given a script that iterates (so it runs under the time bound) over a multi-line template
    const definition = model('p')
      .add('start', 'startEvent')
      .add('greet', 'scriptTask', { expression: 'string join(for name in names return "Dear " + name + ",\nwelcome.", "\n")', resultVariable: 'letters' })
      .add('end', 'endEvent')
      .chain('start', 'greet', 'end')
      .build();
    // when
    const s = scenario(definition).start({ names: ['Ada', 'Bob'] });
    // then
    expect(s.state.incidents).toEqual({});
    expect(s.rootVariables().letters).toBe('Dear Ada,\nwelcome.\nDear Bob,\nwelcome.');
  });
});
