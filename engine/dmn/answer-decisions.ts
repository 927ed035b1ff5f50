/**
 * Answers every EVALUATE_DECISION a step asked for, so what is written is a
 * step with its decisions already made: each effect is taken out, the
 * deployed decision found (`find`, the command path's look-up in its
 * transaction), evaluated, and fed back as DECISION_EVALUATED; a result that
 * leads to another business rule task is answered in turn. Pure apart from
 * `find`.
 */
import type { ExecutableProcess } from '../model/types.js';
import { step } from '../runtime/step.js';
import type { StepContext, StepResult } from '../runtime/types.js';
import { decisionEvaluatedCommand, type DeployedDecision, type EvaluateDecisionEffect } from './called-decision.js';

/** Decisions one command may make: a process that loops through business rule tasks without a wait state stops here with an incident. */
export const MAX_DECISIONS_PER_STEP = 100;

export async function answerDecisions(
  definition: ExecutableProcess,
  stepped: StepResult,
  ctx: StepContext,
  find: (effect: EvaluateDecisionEffect) => Promise<DeployedDecision | undefined>,
): Promise<StepResult> {
  let result = stepped;
  for (let made = 0; result.ok; made++) {
    const at = result.effects.findIndex((e) => e.type === 'EVALUATE_DECISION');
    if (at === -1) return result;
    const effect = result.effects[at] as EvaluateDecisionEffect;
    const command =
      made < MAX_DECISIONS_PER_STEP
        ? decisionEvaluatedCommand(effect, await find(effect), ctx.now)
        : { type: 'DECISION_EVALUATED' as const, elementInstanceKey: effect.elementInstanceKey, decisionId: effect.decisionId, failure: { message: `more than ${MAX_DECISIONS_PER_STEP} decisions in one step: the process loops through business rule tasks without waiting for anything` } };
    const answered = step(definition, result.state, command, ctx, { inPlace: true });
    // The task asked in this very step and waits for nothing else: a refusal is a bug, not a user's mistake.
    if (!answered.ok) throw new Error(`DECISION_EVALUATED for ${effect.elementId} was refused: ${answered.rejection.code} ${answered.rejection.message}`);
    result = { ok: true, state: answered.state, effects: [...result.effects.slice(0, at), ...result.effects.slice(at + 1), ...answered.effects] };
  }
  return result;
}
