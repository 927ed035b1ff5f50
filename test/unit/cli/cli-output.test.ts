/** How the CLI reads the server's answers: error bodies for people, and the event stream `weft tail` follows. */
import { describe, expect, it } from 'vitest';
import { ApiError, connectionOf } from '../../../scripts/cli/api-client.js';
import { describeFailure } from '../../../scripts/cli/errors-output.js';
import { concerns, parseEvents } from '../../../scripts/cli/tail-command.js';
import { parseVar } from '../../../scripts/cli/start-command.js';

describe('describeFailure', () => {
  it('prints a refused deployment problem by problem, with file and element', () => {
    const error = new ApiError(422, 'INVALID_MODEL', 'a.bpmn cannot be deployed', { problems: [{ file: 'a.bpmn', elementId: 'task', message: 'needs a job type' }, { file: 'b.bpmn', message: 'not XML' }] });
    expect(describeFailure(error)).toEqual(['Error 422 INVALID_MODEL: a.bpmn cannot be deployed', '  a.bpmn task: needs a job type', '  b.bpmn: not XML']);
  });

  it("prints a 400's fields with their reasons", () => {
    const error = new ApiError(400, 'BAD_REQUEST', 'Invalid request', [{ path: 'filter.state', message: 'Invalid option' }]);
    expect(describeFailure(error)).toEqual(['Error 400 BAD_REQUEST: Invalid request', '  filter.state: Invalid option']);
  });
});

describe('parseEvents', () => {
  it('reads the instances events of complete blocks and keeps the unfinished one', () => {
    const text = 'retry: 2000\nevent: ready\ndata: {}\n\n: ping\n\nevent: instances\ndata: {"ids":["i-1"]}\n\nevent: inst';
    const { changes, rest } = parseEvents(text);
    expect(changes).toEqual([{ ids: ['i-1'] }]);
    expect(rest).toBe('event: inst');
    expect(concerns(changes[0], 'i-1')).toBe(true);
    expect(concerns(changes[0], 'i-2')).toBe(false);
    expect(concerns({ all: true }, 'i-2')).toBe(true);
  });
});

describe('parseVar and connectionOf', () => {
  it('takes a variable as name=JSON and refuses text without its quotes', () => {
    expect(parseVar('n={"a":[1]}', { m: 1 })).toEqual({ m: 1, n: { a: [1] } });
    expect(() => parseVar('tier=gold')).toThrow(/--var tier: the value must be JSON/);
    expect(() => parseVar('=1')).toThrow(/name=value/);
  });

  it('prefers --url and --token to the environment, and defaults the address', () => {
    expect(connectionOf({}, {})).toEqual({ url: 'http://localhost:3000', token: undefined });
    expect(connectionOf({ url: 'http://a:1/' }, { WEFT_URL: 'http://b:2', WEFT_TOKEN: 't' })).toEqual({ url: 'http://a:1', token: 't' });
  });
});
