/** Compiles a .dmn of test/fixtures/dmn and evaluates its decisions, for the DMN specs. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { compileDmn, evaluateDecision, type CompiledDrg } from '../../../engine/dmn/index.js';
import type { Variables } from '../../../engine/runtime/types.js';

export const NOW = '2026-12-02T10:00:00.000Z';

export function dmnFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/dmn/${name}`, import.meta.url), 'utf8');
}

/** The compiled file; fails the test if it has problems. */
export async function drgOf(name: string): Promise<CompiledDrg> {
  const { drg, problems } = await compileDmn(dmnFixture(name), name);
  expect(problems).toEqual([]);
  return drg!;
}

/** The result of a decision that must evaluate. */
export function resultOf(drg: CompiledDrg, decisionId: string, variables: Variables): unknown {
  const evaluation = evaluateDecision(drg, decisionId, variables, NOW);
  if (!evaluation.ok) throw new Error(evaluation.failure.message);
  return evaluation.result;
}
