import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { model, testContext } from './process-builder.js';
import { scenario } from './scenario.js';
import { startInstance, step } from '../../../engine/runtime/step.js';
import type { Command, InstanceState } from '../../../engine/runtime/types.js';

/** start → fork → (a (service) | b (user task) | sub [ inner ]) → join → end */
function definition() {
  return model('p')
    .add('start', 'startEvent')
    .add('fork', 'parallelGateway')
    .add('a', 'serviceTask', { inputs: [{ source: { feel: 'n * 2' }, target: 'doubled' }], outputs: [{ source: { feel: 'doubled + 1' }, target: 'm' }] })
    .add('b', 'userTask', { dueDate: { feel: 'now() + duration("P1D")' } })
    .add('sub', 'subProcess')
    .add('subStart', 'startEvent', { parent: 'sub' })
    .add('inner', 'serviceTask', { parent: 'sub' })
    .add('join', 'parallelGateway')
    .add('end', 'endEvent')
    .chain('start', 'fork', 'a', 'join', 'end')
    .chain('fork', 'b', 'join')
    .chain('fork', 'sub', 'join')
    .chain('subStart', 'inner')
    .build();
}

/** Every kind of command against a live instance, each from the same state. */
function commands(s: ReturnType<typeof scenario>): Command[] {
  return [
    { type: 'COMPLETE_JOB', jobKey: s.jobKey('a'), variables: { x: 1 } },
    { type: 'FAIL_JOB', jobKey: s.jobKey('a'), retries: 2, errorMessage: 'e', retryBackoffMs: 1000 },
    { type: 'FAIL_JOB', jobKey: s.jobKey('a'), retries: 0, errorMessage: 'e' },
    { type: 'THROW_ERROR', jobKey: s.jobKey('inner'), errorCode: 'E', variables: {} },
    { type: 'COMPLETE_TASK', taskId: s.taskId('b'), variables: { ok: true } },
    { type: 'COMPLETE_JOB', jobKey: 'unknown', variables: {} },
    { type: 'CANCEL' },
  ];
}

describe('runtime: purity', () => {
  it('does not mutate the state it is given', () => {
    // given
    const s = scenario(definition()).start({ n: 1 });
    for (const command of commands(s)) {
      const before = structuredClone(s.state);
      // when
      step(s.definition, s.state, command, testContext());
      // then
      expect(s.state, command.type).toEqual(before);
    }
  });

  it('does not mutate the state while resolving an incident', () => {
    // given
    const s = scenario(definition()).start({ n: 1 });
    s.run({ type: 'FAIL_JOB', jobKey: s.jobKey('a'), retries: 0, errorMessage: 'e' });
    const before = structuredClone(s.state);
    // when
    step(s.definition, s.state, { type: 'RESOLVE_INCIDENT', incidentId: s.incident().id }, testContext());
    // then
    expect(s.state).toEqual(before);
  });

  it('does not mutate the definition or the start variables', () => {
    // given
    const def = definition();
    const variables = { n: 1, nested: { list: [1, 2] } };
    const defBefore = structuredClone(def);
    const variablesBefore = structuredClone(variables);
    // when
    const started = startInstance(def, { id: 'pi-1', definitionKey: 'd', version: 1 }, variables, testContext());
    if (!started.ok) throw new Error('start rejected');
    step(def, started.state, { type: 'CANCEL' }, testContext());
    // then
    expect(def).toEqual(defBefore);
    expect(variables).toEqual(variablesBefore);
  });

  it('gives the same result for the same inputs', () => {
    // given
    const def = definition();
    const meta = { id: 'pi-1', definitionKey: 'd', version: 1 };
    // when
    const first = startInstance(def, meta, { n: 1 }, testContext());
    const second = startInstance(def, meta, { n: 1 }, testContext());
    // then
    expect(second).toEqual(first);
    const s = scenario(def).start({ n: 1 });
    for (const command of commands(s)) {
      expect(step(def, s.state, command, testContext()), command.type).toEqual(step(def, s.state, command, testContext()));
    }
  });

  it('reads FEEL now() from the step context, not the machine clock', () => {
    // when
    const s = scenario(definition(), '2030-01-01T00:00:00.000Z').start({ n: 1 });
    // then
    expect(s.effectsOf('CREATE_TASK')[0].task.dueDate).toBe('2030-01-02T00:00:00.000Z');
  });

  it('continues the same way from a state restored from JSON (stop, restart, continue)', () => {
    // given
    const s = scenario(definition()).start({ n: 1 });
    const restored = JSON.parse(JSON.stringify(s.state)) as InstanceState;
    // when
    const results = commands(s).map((command) => [step(s.definition, s.state, command, testContext()), step(s.definition, restored, command, testContext())]);
    // then
    for (const [fromMemory, fromJson] of results) expect(fromJson).toEqual(fromMemory);
  });

  it('keeps its state plain JSON', () => {
    // given
    const s = scenario(definition()).start({ n: 1 });
    s.completeJob('a', { when: 'x' });
    // then
    expect(JSON.parse(JSON.stringify(s.state))).toEqual(s.state);
    expect(JSON.parse(JSON.stringify(s.effects))).toEqual(s.effects);
  });

  it('imports no I/O module and reads no clock', () => {
    // given
    const root = join(import.meta.dirname, '../../../engine/runtime');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const source = readFileSync(join(root, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      // The one exception: the time bound on a user's FEEL expression (feel-sandbox.ts) runs it in
      // node:vm with a timeout and reads the CPU it got. It is a safety bound, not an input: an
      // evaluation within the bound gives the same result as without it; one past it fails.
      const bound = file === 'feel-sandbox.ts';
      // cron-parser computes cron dates, no I/O; every call passes the date to count from (waits/cron-schedule.ts).
      const pure = ['feelin', 'cron-parser'];
      // then
      expect(imports.filter((i) => !i.startsWith('.') && !pure.includes(i) && !(bound && i === 'node:vm')), file).toEqual([]);
      expect(source, file).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|process\.env/);
      if (!bound) expect(source, file).not.toMatch(/performance\.now\(|process\.cpuUsage|process\.hrtime/);
    }
  });

  it('evaluates users\' FEEL only through the bounded evaluateFeel', () => {
    // given: every module of the engine and the connectors
    const repo = join(import.meta.dirname, '../../..');
    const files = ['engine', 'connectors'].flatMap((dir) =>
      readdirSync(join(repo, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f)),
    );
    // when: the names each imports from feelin
    const evaluators = files.filter((file) => {
      const source = readFileSync(join(repo, file), 'utf8');
      const named = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'feelin'/g)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
      return named.some((n) => /^(evaluate|unaryTest)\b/.test(n)) || /import\s+\*\s+as\s+\w+\s+from\s+'feelin'/.test(source);
    });
    // then
    expect(evaluators).toEqual([join('engine', 'runtime', 'feel.ts')]);
  });
});
