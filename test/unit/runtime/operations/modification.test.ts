/** The MODIFY command in the pure step: scopes, call activities, refusals (the integration specs cover the rows). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExecutableProcess } from '../../../../engine/model/types.js';
import type { ModificationInstruction } from '../../../../engine/runtime/modification/instructions.js';
import { liveElements, testContext } from '../process-builder.js';
import { startInstance, step } from '../../../../engine/runtime/step.js';
import { plainState } from '../../../../engine/runtime/state-index.js';
import { scenario } from '../scenario.js';
import { compiledHere } from './compiled-here.js';

describe('runtime: MODIFY', () => {
  let definition: ExecutableProcess;
  beforeAll(async () => {
    definition = await compiledHere('modify-scopes.bpmn');
  });
  const modify = (instructions: ModificationInstruction[]) => ({ type: 'MODIFY' as const, instructions, reason: 'spec' });

  it('terminates a sub-process left empty by a cancel, without taking its outgoing flow', () => {
    // given the three branches running
    const s = scenario(definition).start();
    expect(liveElements(s.state)).toEqual(['a', 'call', 'inner', 'sub']);
    // when the only token inside the sub-process is canceled
    s.run(modify([{ type: 'cancel', elementId: 'inner' }]));
    // then the sub-process is terminated, 'after' is not reached, the rest runs on
    expect(liveElements(s.state)).toEqual(['a', 'call']);
    expect(s.audits().filter((e) => e.type === 'ELEMENT_TERMINATED').map((e) => e.elementId)).toEqual(['inner', 'sub']);
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);
    expect(s.state.status).toBe('ACTIVE');
  });

  it('moves a token inside a sub-process: it stays in that scope, and the scope completes the normal way', () => {
    const s = scenario(definition).start();
    const sub = s.instanceOf('sub');
    // when the token at 'inner' is moved to the sub-process's end event
    s.run(modify([{ type: 'move', fromElementId: 'inner', toElementId: 'subEnd' }]));
    // then the sub-process completed and 'after' waits on its job
    expect(s.audits().find((e) => e.type === 'ELEMENT_COMPLETED' && e.elementId === 'sub')?.elementInstanceKey).toBe(sub.key);
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.elementId)).toEqual(['after']);
    expect(liveElements(s.state)).toEqual(['a', 'after', 'call']);
  });

  it('starts a second token inside the active sub-process instance, with variables in that scope', () => {
    const s = scenario(definition).start();
    const sub = s.instanceOf('sub');
    s.run(modify([{ type: 'startBefore', elementId: 'inner', variables: { attempt: 2 } }]));
    const jobs = s.effectsOf('CREATE_JOB');
    expect(jobs.map((e) => e.job.elementId)).toEqual(['inner']);
    expect(s.state.elements[jobs[0].job.elementInstanceKey].scopeKey).toBe(sub.key);
    expect(s.state.elements[sub.key].variables).toMatchObject({ attempt: 2 });
    expect(s.rootVariables()).not.toHaveProperty('attempt');
  });

  it('cancels a call activity\'s child instance with it', () => {
    const s = scenario(definition).start();
    const child = s.instanceOf('call').childInstanceId;
    s.run(modify([{ type: 'cancel', elementId: 'call' }]));
    expect(s.effectsOf('CANCEL_CHILD_INSTANCE')).toEqual([{ type: 'CANCEL_CHILD_INSTANCE', childInstanceId: child }]);
  });

  it('ends the instance CANCELED when every token is canceled', () => {
    const s = scenario(definition).start();
    s.run(modify([{ type: 'cancel', elementId: 'a' }, { type: 'cancel', elementId: 'sub' }, { type: 'cancel', elementId: 'call' }]));
    expect(s.state.status).toBe('CANCELED');
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([{ type: 'INSTANCE_ENDED', status: 'CANCELED' }]);
  });

  it('refuses to end a called instance (its parent\'s call activity would wait for ever), and lets it be changed otherwise', () => {
    // given an instance started by a call activity
    const started = startInstance(definition, { id: 'child-1', definitionKey: 'def-1', version: 1, parent: { instanceId: 'parent-1', elementInstanceKey: '7', elementId: 'callIt', processId: 'parent' } }, {}, testContext());
    if (!started.ok) throw new Error(started.rejection.message);
    const everything = modify([{ type: 'cancel', elementId: 'a' }, { type: 'cancel', elementId: 'sub' }, { type: 'cancel', elementId: 'call' }]);
    // when every token would be canceled, then that is refused
    const refused = step(definition, started.state, everything, testContext());
    expect(!refused.ok && refused.rejection.code).toBe('CHILD_INSTANCE');
    expect(!refused.ok && refused.rejection.message).toMatch(/call activity 'callIt' of instance parent-1/);
    // and canceling one branch of it is fine
    expect(step(definition, started.state, modify([{ type: 'cancel', elementId: 'a' }]), testContext()).ok).toBe(true);
  });

  it('refuses a token inside a sub-process the same request cancels, and leaves the state as it was', () => {
    const s = scenario(definition).start();
    const before = JSON.parse(JSON.stringify(s.state));
    // stepped in place, as the command path does: a refusal must not have touched the state it was given
    const owned = structuredClone(before);
    const result = step(definition, owned, modify([{ type: 'cancel', elementId: 'sub' }, { type: 'startBefore', elementId: 'inner' }]), testContext(), { inPlace: true });
    expect(result.ok).toBe(false);
    const rejection = (result as { rejection: { code: string; message: string } }).rejection;
    expect(rejection.code).toBe('ELEMENT_NOT_ACTIVATABLE');
    expect(rejection.message).toMatch(/^instructions\[1\]: Element 'inner' is inside 'sub', which has no active instance/);
    expect(JSON.parse(JSON.stringify(plainState(owned)))).toEqual(before);
  });
});
