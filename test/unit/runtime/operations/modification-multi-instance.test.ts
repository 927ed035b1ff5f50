/** MODIFY and the runs of a multi-instance sub-process. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExecutableProcess } from '../../../../engine/model/types.js';
import type { ModificationInstruction } from '../../../../engine/runtime/modification/instructions.js';
import { scenario } from '../scenario.js';
import { compiledHere } from './compiled-here.js';

describe('runtime: MODIFY in a multi-instance sub-process', () => {
  let definition: ExecutableProcess;
  beforeAll(async () => {
    definition = await compiledHere('modify-multi-instance.bpmn');
  });
  const modify = (instructions: ModificationInstruction[]) => ({ type: 'MODIFY' as const, instructions, reason: 'spec' });
  const handles = (s: ReturnType<typeof scenario>) => Object.values(s.state.elements).filter((e) => e.elementId === 'handle');

  it('refuses to leave a run with no token (its body could not count it), naming the run', () => {
    const s = scenario(definition).start({ items: ['x', 'y'] });
    const [first] = handles(s);
    const rejection = s.rejected(modify([{ type: 'cancel', elementInstanceKey: first.key }]));
    expect(rejection.code).toBe('ELEMENT_NOT_ACTIVATABLE');
    expect(rejection.message).toMatch(new RegExp(`run ${first.scopeKey} of repeating activity 'each'`));
  });

  it('names the run to start a token in when there are several, and then starts it there', () => {
    const s = scenario(definition).start({ items: ['x', 'y'] });
    const ambiguous = s.rejected(modify([{ type: 'startBefore', elementId: 'handle' }]));
    expect(ambiguous.message).toMatch(/'each' \(which contains 'handle'\) has 2 active instances/);
    const [first] = handles(s);
    s.run(modify([{ type: 'cancel', elementInstanceKey: first.key }, { type: 'startBefore', elementId: 'handle', ancestorElementInstanceKey: first.scopeKey! }]));
    // the run keeps one token, a new one, and the other run is untouched
    expect(handles(s).filter((h) => h.scopeKey === first.scopeKey).map((h) => h.key)).not.toContain(first.key);
    expect(handles(s).filter((h) => h.scopeKey === first.scopeKey)).toHaveLength(1);
    expect(handles(s)).toHaveLength(2);
    expect(s.effectsOf('CREATE_JOB')).toHaveLength(1);
  });

  it('cancels the whole activity by its element id: body and runs', () => {
    const s = scenario(definition).start({ items: ['x', 'y'] });
    s.run(modify([{ type: 'cancel', elementId: 'each' }]));
    expect(s.state.status).toBe('CANCELED');
    expect(s.effectsOf('FINISH_JOB')).toHaveLength(2);
  });
});
