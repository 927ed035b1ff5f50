/**
 * Checks a modification's instructions against the instance and turns them
 * into what to do: the tokens to start (where, in which scope, by which
 * flow) and the element instances to cancel. Reads the state, changes
 * nothing, so a refusal leaves the instance exactly as it was.
 */
import type { FlowElement } from '../../model/types.js';
import type { ElementInstance, Rejection, Variables } from '../types.js';
import type { Run } from '../run.js';
import type { ModificationInstruction } from './instructions.js';
import { activatableElement, isRejection } from './activatable.js';
import { isLive } from '../lifecycle.js';

export interface Activation {
  elementId: string;
  scopeKey: string;
  variables?: Variables;
  /** startAfter: the flow the token leaves by (its target is where it arrives). */
  flowId?: string;
}

export interface ModificationPlan {
  /** As asked, for the audit. */
  instructions: ModificationInstruction[];
  activations: Activation[];
  /** Element instance keys to cancel, in instruction order, each once. */
  terminations: string[];
}

export function planModification(run: Run, instructions: ModificationInstruction[]): ModificationPlan | Rejection {
  const terminations: string[] = [];
  const pendingActivations: { instruction: ModificationInstruction; index: number; element: FlowElement; sourceScopes: (string | null)[] }[] = [];
  for (const [index, instruction] of instructions.entries()) {
    const where = `instructions[${index}]`;
    if (instruction.type === 'cancel' || instruction.type === 'move') {
      const byKey = instruction.type === 'cancel' ? instruction.elementInstanceKey : instruction.fromElementInstanceKey;
      const byId = instruction.type === 'cancel' ? instruction.elementId : instruction.fromElementId;
      const found = tokensAt(run, byKey, byId, where);
      if (isRejection(found)) return found;
      for (const instance of found) if (!terminations.includes(instance.key)) terminations.push(instance.key);
      if (instruction.type === 'cancel') continue;
      const element = activatableElement(run.definition, instruction.toElementId);
      if (isRejection(element)) return at(where, element);
      pendingActivations.push({ instruction, index, element, sourceScopes: found.map((i) => i.scopeKey) });
      continue;
    }
    const element = activatableElement(run.definition, instruction.elementId);
    if (isRejection(element)) return at(where, element);
    pendingActivations.push({ instruction, index, element, sourceScopes: [null] });
  }
  // Scopes are chosen once every cancellation is known: a token must not start inside a scope this request cancels.
  const canceled = new Set(terminations);
  const activations: Activation[] = [];
  for (const { instruction, index, element, sourceScopes } of pendingActivations) {
    const where = `instructions[${index}]`;
    const variables = 'variables' in instruction && instruction.variables && Object.keys(instruction.variables).length > 0 ? instruction.variables : undefined;
    let flowId: string | undefined;
    let arrivesAt = element.id;
    if (instruction.type === 'startAfter') {
      if (element.outgoing.length !== 1) {
        return at(where, { code: 'ELEMENT_NOT_ACTIVATABLE', message: `Element '${element.id}' has ${element.outgoing.length} outgoing sequence flows; a token can start after an element with exactly one (start before the element you want instead)` });
      }
      flowId = element.outgoing[0];
      arrivesAt = run.definition.flows[flowId].targetRef;
    }
    for (const sourceScope of sourceScopes) {
      // A moved token stays in the scope it was in when its target is there too.
      const scopeKey = sourceScope && run.state.elements[sourceScope]?.elementId === element.parent && !canceledWithin(run, sourceScope, canceled) ? sourceScope : scopeFor(run, element, 'ancestorElementInstanceKey' in instruction ? instruction.ancestorElementInstanceKey : undefined, canceled);
      if (isRejection(scopeKey)) return at(where, scopeKey);
      activations.push({ elementId: arrivesAt, scopeKey, ...(variables ? { variables } : {}), ...(flowId ? { flowId } : {}) });
    }
  }
  const emptiedRun = runLeftEmpty(run, terminations, activations);
  if (emptiedRun) {
    const body = run.state.elements[emptiedRun.scopeKey!];
    return {
      code: 'ELEMENT_NOT_ACTIVATABLE',
      message: `This modification would leave run ${emptiedRun.key} of repeating activity '${body.elementId}' with no token, which its body cannot count; cancel '${body.elementId}' itself, or start a token in that run too`,
    };
  }
  return { instructions, activations, terminations };
}

/**
 * A run of a repeating activity (multi-instance or loop) that the
 * cancellations would leave with no token: ending it the way an emptied
 * scope ends (terminated) would leave its body waiting for a run it never
 * counts, so such a request is refused instead.
 */
function runLeftEmpty(run: Run, terminations: string[], activations: Activation[]): ElementInstance | null {
  const gone = new Set(terminations);
  const fed = new Set(activations.map((a) => a.scopeKey));
  for (const key of terminations) {
    for (let scope = scopeOf(run, key); scope && !gone.has(scope.key) && !fed.has(scope.key); scope = scopeOf(run, scope.key)) {
      if (!run.index.childKeys(scope.key).every((child) => gone.has(child))) break;
      if (run.isRun(scope)) return scope;
      gone.add(scope.key);
    }
  }
  return null;
}

function scopeOf(run: Run, key: string): ElementInstance | undefined {
  const instance = run.state.elements[key];
  return instance?.scopeKey ? run.state.elements[instance.scopeKey] : undefined;
}

/** The live tokens a cancel or move names: one element instance by key, or every instance of an element. */
function tokensAt(run: Run, key: string | undefined, elementId: string | undefined, where: string): ElementInstance[] | Rejection {
  if (key !== undefined) {
    const instance = run.state.elements[key];
    if (!instance || !isLive(instance)) return at(where, { code: 'NO_ACTIVE_TOKEN', message: `Instance ${run.state.id} has no active element instance ${key}` });
    const refused = cancelable(run, instance);
    return refused ? at(where, refused) : [instance];
  }
  const id = elementId!;
  if (!run.definition.elements[id]) {
    return at(where, run.definition.flows[id] ? { code: 'NO_ACTIVE_TOKEN', message: `'${id}' is a sequence flow: tokens rest on elements, not on flows` } : { code: 'UNKNOWN_ELEMENT', message: `Process '${run.definition.id}' has no element '${id}'` });
  }
  // The runs of a repeating activity go with their body: canceling the activity cancels the body.
  const found = run.index.findElements((e) => e.elementId === id && isLive(e) && e.key !== run.state.id).filter((e) => !run.isRun(e));
  if (found.length === 0) return at(where, { code: 'NO_ACTIVE_TOKEN', message: `No token is at element '${id}' in instance ${run.state.id}` });
  return found;
}

function cancelable(run: Run, instance: ElementInstance): Rejection | null {
  if (instance.key === run.state.id) return { code: 'NO_ACTIVE_TOKEN', message: `Element instance ${instance.key} is the process instance itself; cancel the instance instead` };
  if (run.isRun(instance)) {
    return { code: 'ELEMENT_NOT_ACTIVATABLE', message: `Element instance ${instance.key} is one run of repeating activity '${instance.elementId}'; cancel the activity (by its element id) instead` };
  }
  return null;
}

/**
 * The scope instance a new token at `element` runs in: the instance itself
 * for a top-level element, else the one live instance of its sub-process
 * (or the one named by `ancestorKey`).
 */
function scopeFor(run: Run, element: FlowElement, ancestorKey: string | undefined, canceled: Set<string>): string | Rejection {
  if (element.parent === run.definition.id) return run.state.id;
  const parentId = element.parent;
  const candidates = run.index.findElements((e) => e.elementId === parentId && e.state === 'ACTIVE' && !e.loop && !canceledWithin(run, e.key, canceled));
  if (ancestorKey !== undefined) {
    if (candidates.some((c) => c.key === ancestorKey)) return ancestorKey;
    return { code: 'ELEMENT_NOT_ACTIVATABLE', message: `ancestorElementInstanceKey ${ancestorKey} is not an active instance of '${parentId}', which contains '${element.id}'` };
  }
  if (candidates.length === 1) return candidates[0].key;
  if (candidates.length === 0) {
    return { code: 'ELEMENT_NOT_ACTIVATABLE', message: `Element '${element.id}' is inside '${parentId}', which has no active instance here; start before '${parentId}' instead` };
  }
  const keys = candidates.map((c) => c.key).join(', ');
  return { code: 'ELEMENT_NOT_ACTIVATABLE', message: `'${parentId}' (which contains '${element.id}') has ${candidates.length} active instances (${keys}); name one by ancestorElementInstanceKey` };
}

/** Whether `key` or a scope around it is canceled by this modification. */
function canceledWithin(run: Run, key: string, canceled: Set<string>): boolean {
  for (let current: ElementInstance | undefined = run.state.elements[key]; current; current = current.scopeKey ? run.state.elements[current.scopeKey] : undefined) {
    if (canceled.has(current.key)) return true;
  }
  return false;
}

function at(where: string, rejection: Rejection): Rejection {
  return { code: rejection.code, message: `${where}: ${rejection.message}` };
}
