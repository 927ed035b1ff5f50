import { describe, expect, it } from 'vitest';
import { evaluateFeel } from '../../../engine/runtime/feel.js';

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
});
