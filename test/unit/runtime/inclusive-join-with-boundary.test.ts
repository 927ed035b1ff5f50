import { describe, expect, it } from 'vitest';
import { model } from './process-builder.js';
import { scenario } from './scenario.js';

/**
 * start → fork (inclusive) → a → a-done, and b → join (inclusive) → after,
 * where `a` reaches the join only by its error boundary event `caught`.
 */
function forkWithBoundary() {
  return model('p')
    .add('start', 'startEvent')
    .add('fork', 'inclusiveGateway')
    .add('a', 'serviceTask')
    .add('b', 'serviceTask')
    .add('caught', 'errorBoundaryEvent', { attachedTo: 'a' })
    .add('join', 'inclusiveGateway')
    .add('after', 'userTask')
    .add('end', 'endEvent')
    .add('a-done', 'endEvent')
    .flow('start', 'fork')
    .flow('fork', 'a', { condition: 'true' })
    .flow('fork', 'b', { condition: 'true' })
    .flow('a', 'a-done')
    .flow('caught', 'join', { id: 'from-caught' })
    .flow('b', 'join', { id: 'from-b' })
    .chain('join', 'after', 'end')
    .build();
}

describe('runtime: an inclusive join behind an error boundary event', () => {
  it('counts the activity as upstream of the boundary event: the join waits while the activity may still throw', () => {
    // given both branches taken
    const s = scenario(forkWithBoundary()).start();
    // when b finishes first
    s.run({ type: 'COMPLETE_JOB', jobKey: s.jobKey('b'), variables: {} });
    // then the join waits for a, which may still leave by its boundary event
    expect(s.activated()).not.toContain('join');
    // when a throws and its boundary event catches
    s.run({ type: 'THROW_ERROR', jobKey: s.jobKey('a'), errorCode: 'ANY', variables: {} });
    // then the join fires once
    expect(s.activated().filter((id) => id === 'join')).toHaveLength(1);
    expect(s.activated()).toContain('after');
  });

  it('fires once the activity ended the normal way, so no token can come by the boundary event', () => {
    const s = scenario(forkWithBoundary()).start();
    s.run({ type: 'COMPLETE_JOB', jobKey: s.jobKey('b'), variables: {} });
    s.run({ type: 'COMPLETE_JOB', jobKey: s.jobKey('a'), variables: {} });
    expect(s.activated().filter((id) => id === 'join')).toHaveLength(1);
  });
});
