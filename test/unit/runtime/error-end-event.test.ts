import { describe, expect, it } from 'vitest';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

// error-end-event.bpmn: sub-process `check` forks `review` and `audit`; a rejected review ends in error
// REJECTED (caught by `on-rejected` on the sub-process); `audit` ends in error OTHER, which nothing catches.
describe('runtime: error end event', () => {
  it('is caught by the error boundary event of the enclosing sub-process, which ends everything inside', async () => {
    const s = scenario(await compiled('error-end-event.bpmn')).start();
    expect(liveElements(s.state).sort()).toEqual(['audit', 'check', 'review']);
    s.completeTask('review', { approved: false });
    expect(liveElements(s.state)).toEqual(['notify']);
    expect(s.effectsOf('FINISH_TASK').map((e) => e.state)).toEqual(['COMPLETED', 'CANCELED']);
    expect(s.trace()).toEqual(expect.arrayContaining(['ELEMENT_TERMINATED check', 'ERROR_CAUGHT on-rejected']));
    s.completeTask('notify');
    expect(s.state.status).toBe('COMPLETED');
  });

  it('leaves the sub-process normally when no error is thrown', async () => {
    const s = scenario(await compiled('error-end-event.bpmn')).start();
    s.completeTask('review', { approved: true });
    expect(liveElements(s.state).sort()).toEqual(['audit', 'check']);
  });

  it('opens an incident naming the code when nothing catches it, holding the token at the end event', async () => {
    const s = scenario(await compiled('error-end-event.bpmn')).start();
    s.completeTask('audit');
    expect(s.incident()).toMatchObject({ type: 'UNHANDLED_BPMN_ERROR', elementId: 'fail' });
    expect(s.incident().message).toContain("'OTHER'");
    expect(liveElements(s.state).sort()).toEqual(['check', 'fail', 'review']);
  });
});
