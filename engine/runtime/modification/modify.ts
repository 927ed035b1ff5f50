/**
 * The MODIFY command: an operator's instructions applied in one step, after
 * all of them were checked (plan.ts) — a refusal changes nothing.
 *
 * Everything goes through the shell's own lifecycle: a new token is sent
 * as if it had arrived (input mappings, boundary events' waits, the job or
 * task, exactly as on the normal path), a canceled one is terminated as an
 * interrupting boundary event terminates its host (job canceled, task
 * closed, timers and subscriptions closed, incidents resolved, child
 * instances canceled). As in Zeebe, tokens are started before any is
 * canceled, so a move never empties its scope on the way.
 *
 * A scope left with no token by the cancellations is terminated, up to the
 * process instance: canceling the last token ends the instance CANCELED
 * (Zeebe terminates the process instance; Operate shows it canceled).
 */
import type { ElementInstance, Rejection } from '../types.js';
import { Run } from '../run.js';
import { plainState } from '../state-index.js';
import { setLocal } from '../variables.js';
import type { ModificationInstruction } from './instructions.js';
import { planModification, type ModificationPlan } from './plan.js';
import { isRejection } from './activatable.js';

export function modify(run: Run, { instructions, reason }: { instructions: ModificationInstruction[]; reason: string }): Rejection | void {
  if (instructions.length === 0) return { code: 'BAD_REQUEST', message: 'instructions: at least one instruction is needed' };
  if (reason.trim() === '') return { code: 'BAD_REQUEST', message: 'reason: must not be empty' };
  const plan = planModification(run, instructions);
  if (isRejection(plan)) return plan;
  // A called instance that ended here would leave its parent's call activity waiting for ever: tried on a copy first.
  if (run.state.parent) {
    const trial = new Run(run.definition, structuredClone(plainState(run.state)), run.ctx);
    apply(trial, plan, reason);
    if (trial.state.status !== 'ACTIVE') {
      const parent = run.state.parent;
      return { code: 'CHILD_INSTANCE', message: `This modification would end instance ${run.state.id}, started by call activity '${parent.elementId}' of instance ${parent.instanceId}; cancel that instance, or modify its call activity, instead` };
    }
  }
  apply(run, plan, reason);
}

function apply(run: Run, plan: ModificationPlan, reason: string): void {
  const instructions = plan.instructions;
  const root = run.state.elements[run.state.id];
  run.audit('INSTANCE_MODIFIED', root, { actor: run.ctx.actor.id, reason, instructions });

  for (const activation of plan.activations) {
    const scope = run.state.elements[activation.scopeKey];
    if (activation.variables) {
      setLocal(scope, activation.variables);
      run.audit('VARIABLES_SET', scope, { variables: activation.variables, local: true });
    }
    if (activation.flowId) {
      const flow = run.definition.flows[activation.flowId];
      run.emit({ type: 'AUDIT', event: { type: 'FLOW_TAKEN', elementId: flow.id, payload: { from: flow.sourceRef, to: flow.targetRef } } });
    }
    run.send(activation.elementId, activation.scopeKey, activation.flowId);
  }

  const emptied: string[] = [];
  for (const key of plan.terminations) {
    const instance = run.state.elements[key];
    // Gone already: it was inside a scope canceled before it.
    if (!instance || instance.state === 'TERMINATED') continue;
    run.terminate(instance);
    if (instance.scopeKey) emptied.push(instance.scopeKey);
  }
  for (const scopeKey of emptied) endIfEmpty(run, scopeKey);
}

/** Terminates `scopeKey` when nothing is left in it or on its way into it, and so on outwards. */
function endIfEmpty(run: Run, scopeKey: string): void {
  for (let key: string | null = scopeKey; key; ) {
    const scope: ElementInstance | undefined = run.state.elements[key];
    if (!scope || scope.state !== 'ACTIVE' || run.childCount(key) > 0 || run.pendingIn(key)) return;
    if (scope.joins && Object.keys(scope.joins).length > 0) return;
    const parent: string | null = scope.scopeKey;
    run.terminate(scope);
    if (key === run.state.id) {
      run.endInstance('CANCELED');
      return;
    }
    key = parent;
  }
}
