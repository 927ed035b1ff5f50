/** migrateInstance (pure): boundary events kept, closed and opened; scopes; what refuses. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExecutableProcess } from '../../../../engine/model/types.js';
import { migrateInstance } from '../../../../engine/runtime/migration/migrate.js';
import type { MigrationMapping } from '../../../../engine/runtime/migration/mappings.js';
import { model, testContext } from '../process-builder.js';
import { scenario } from '../scenario.js';
import { compiledHere } from './compiled-here.js';

describe('runtime: migrateInstance', () => {
  let v1: ExecutableProcess;
  let v2: ExecutableProcess;
  beforeAll(async () => {
    v1 = await compiledHere('migrate-boundary-v1.bpmn');
    v2 = await compiledHere('migrate-boundary-v2.bpmn');
  });
  const same = (...ids: string[]): MigrationMapping[] => ids.map((id) => ({ sourceElementId: id, targetElementId: id }));
  const target = () => ({ definitionKey: 'def-2', version: 2, model: v2 });
  const running = () => scenario(v1).start();

  it('keeps a mapped boundary event\'s timer as it was (same id, same due time), under its new element id', () => {
    const s = running();
    const timer = s.waitOf('timeout', 'timer');
    const result = migrateInstance(v1, s.state, target(), [...same('work', 'inner', 'outer'), { sourceElementId: 'sub', targetElementId: 'sub2' }, { sourceElementId: 'timeout', targetElementId: 'timeout2' }], testContext());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(Object.values(result.state.waits!)).toEqual([{ ...timer, elementId: 'timeout2' }]);
    expect(result.effects.filter((e) => e.type !== 'AUDIT')).toEqual([]);
    expect(result.elements.find((e) => e.sourceElementId === 'work')?.boundaryEvents).toEqual({ kept: [{ sourceElementId: 'timeout', targetElementId: 'timeout2' }], closed: [], opened: [] });
    expect(result.state).toMatchObject({ definitionKey: 'def-2', version: 2 });
    expect(Object.values(result.state.elements).map((e) => e.elementId).sort()).toEqual(['inner', 'migrate-boundary', 'outer', 'sub2', 'work']);
  });

  it('closes an unmapped boundary event\'s timer and opens the target\'s, due from now', () => {
    const s = running();
    const timer = s.waitOf('timeout', 'timer');
    const result = migrateInstance(v1, s.state, target(), [...same('work', 'inner', 'outer'), { sourceElementId: 'sub', targetElementId: 'sub2' }], testContext());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.effects.filter((e) => e.type === 'CLOSE_TIMER')).toEqual([{ type: 'CLOSE_TIMER', timerId: timer.id, state: 'CANCELED' }]);
    const opened = result.effects.filter((e) => e.type === 'OPEN_TIMER');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ timer: { elementId: 'timeout2', dueAt: '2026-11-25T15:00:00.000Z' } });
    expect(result.elements.find((e) => e.sourceElementId === 'work')?.boundaryEvents).toEqual({ kept: [], closed: ['timeout'], opened: ['timeout2'] });
  });

  it('refuses a mapping that takes an element out of its scope, and one that leaves an active element unmapped', () => {
    const s = running();
    const before = JSON.parse(JSON.stringify(s.state));
    const moved = migrateInstance(v1, s.state, target(), [...same('work', 'outer'), { sourceElementId: 'sub', targetElementId: 'sub2' }, { sourceElementId: 'inner', targetElementId: 'outer' }], testContext(), { inPlace: true });
    expect(moved.ok).toBe(false);
    expect(!moved.ok && moved.problems).toEqual([{ elementId: 'inner', message: "'inner' would leave its scope: 'outer' is not inside 'sub2'" }]);
    const unmapped = migrateInstance(v1, s.state, target(), same('work', 'outer'), testContext(), { inPlace: true });
    expect(!unmapped.ok && unmapped.problems.map((p) => p.elementId).sort()).toEqual(['inner', 'sub']);
    expect(JSON.parse(JSON.stringify(s.state))).toEqual(before);
  });

  it('refuses while a joining gateway holds arrivals of some branches', () => {
    // given start → fork → (x | y) → join → end, with x done and its arrival held at the join
    const joined = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('x', 'serviceTask', { jobType: { value: 'x' } })
      .add('y', 'serviceTask', { jobType: { value: 'y' } })
      .add('join', 'parallelGateway')
      .add('end', 'endEvent')
      .chain('start', 'fork', 'x', 'join', 'end')
      .chain('fork', 'y', 'join')
      .build();
    const s = scenario(joined).start();
    s.completeJob('x');
    // when it is migrated (to the same diagram, every element mapped)
    const result = migrateInstance(joined, s.state, { definitionKey: 'def-2', version: 2, model: joined }, same('start', 'fork', 'x', 'y', 'join', 'end'), testContext());
    // then it is refused, naming the gateway
    expect(!result.ok && result.problems).toEqual([{ elementId: 'join', message: "Joining gateway 'join' holds arrivals of some of its branches; migrate after it has joined them" }]);
  });
});
