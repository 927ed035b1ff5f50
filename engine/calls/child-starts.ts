/**
 * Starting the child instances a step's call activities asked for, inside
 * the step's own transaction, so the parent's wait and its child are
 * committed together or not at all. For each START_CHILD_INSTANCE effect the
 * called process's version is found (the latest, or the one deployed with
 * the parent); the child is started through the pure step — and its own
 * call activities in turn — and written with the parent. A process that
 * cannot be found is answered to the parent as CHILD_START_FAILED, an
 * incident on its call activity that names it.
 */
import type { ExecutableProcess } from '../model/types.js';
import { startInstance, step } from '../runtime/step.js';
import type { ChildInstanceSpec, Effect, InstanceState, StepContext } from '../runtime/types.js';
import { effectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import { answerDecisions } from '../dmn/answer-decisions.js';

export type Query = (sql: string, bindings: readonly unknown[]) => Promise<Record<string, any>[]>;

export interface Stepped {
  state: InstanceState;
  effects: Effect[];
}

export interface ChildWrites {
  /** The statements that insert the children (and theirs), to run with the parent's. */
  statements: { sql: string; bindings: readonly unknown[] }[];
  outbox: OutboxRow[];
  /** What the children opened that a buffered message may already wait for. */
  openings: MessageOpenings[];
  notifications: string[];
  /** Signals the children threw as they started (engine/signals). */
  signals: string[];
  /** What the children count for the metrics once committed. */
  tallies: CommitTally[];
}

/** How deep call activities may nest within one step (a process that calls itself at once would never stop). */
const MAX_DEPTH = 32;

/**
 * Starts every child `stepped` asks for. Returns the parent's final state and
 * effects (with CHILD_START_FAILED applied where a child could not start)
 * and what the children write.
 */
export async function startChildren(
  query: Query,
  definitions: DefinitionRepository,
  model: ExecutableProcess,
  stepped: Stepped,
  ctx: StepContext,
  depth = 0,
): Promise<Stepped & ChildWrites> {
  const writes: ChildWrites = { statements: [], outbox: [], openings: [], notifications: [], signals: [], tallies: [] };
  let { state, effects } = stepped;
  // Business rule tasks first: a decision's result may lead on to a call activity.
  if (effects.some((e) => e.type === 'EVALUATE_DECISION')) {
    const decisions = definitions.decisions;
    if (!decisions) throw new Error('A business rule task asks for a decision, but this engine has no decision repository');
    const { row } = await definitions.byKey(state.definitionKey, (sql, bindings) => query(sql, bindings));
    const answered = await answerDecisions(model, { ok: true, state, effects }, ctx, (e) => decisions.resolve(e.decisionId, e.binding, row.deployment_id, (sql, bindings) => query(sql, bindings)));
    if (answered.ok) ({ state, effects } = answered);
  }
  const pending = effects.filter((e): e is Extract<Effect, { type: 'START_CHILD_INSTANCE' }> => e.type === 'START_CHILD_INSTANCE');
  for (const { child } of pending) {
    const found: Called = depth >= MAX_DEPTH ? { failure: `Call activities nest more than ${MAX_DEPTH} deep within one step; '${child.processId}' was not started` } : await findCalled(query, definitions, state, child);
    if ('failure' in found) {
      const answered = step(model, state, { type: 'CHILD_START_FAILED', elementInstanceKey: child.parent.elementInstanceKey, childInstanceId: child.id, message: found.failure }, ctx, { inPlace: true });
      if (!answered.ok) continue; // the call activity is gone already (an earlier child's failure ended its scope)
      state = answered.state;
      effects = [...effects, ...answered.effects];
      continue;
    }
    const started = startInstance(found.model, { id: child.id, definitionKey: found.key, version: found.version, parent: child.parent }, child.variables, ctx);
    if (!started.ok) {
      const answered = step(model, state, { type: 'CHILD_START_FAILED', elementInstanceKey: child.parent.elementInstanceKey, childInstanceId: child.id, message: started.rejection.message }, ctx, { inPlace: true });
      if (answered.ok) {
        state = answered.state;
        effects = [...effects, ...answered.effects];
      }
      continue;
    }
    const grand = await startChildren(query, definitions, found.model, { state: started.state, effects: started.effects }, ctx, depth + 1);
    const written = effectsStatement(grand.state, grand.effects, {
      actor: ctx.actor.id,
      now: new Date(ctx.now),
      childStartsHandled: true,
      insert: {
        process_id: found.model.id,
        version: found.version,
        definition_key: found.key,
        business_key: null,
        parent_instance_id: child.parent.instanceId,
        parent_element_instance_key: child.parent.elementInstanceKey,
      },
    });
    writes.statements.push(written.statement, ...grand.statements);
    writes.outbox.push(...written.outbox, ...grand.outbox);
    writes.notifications.push(...written.notifications, ...grand.notifications);
    writes.openings.push(written.openings, ...grand.openings);
    writes.signals.push(...written.signals, ...grand.signals);
    writes.tallies.push(written.tally, ...grand.tallies);
  }
  return { state, effects, ...writes };
}

type Called = { key: string; version: number; model: ExecutableProcess } | { failure: string };

/** The called process's definition for `child`'s binding, or why there is none. */
async function findCalled(query: Query, definitions: DefinitionRepository, parent: InstanceState, child: ChildInstanceSpec): Promise<Called> {
  const { binding, processId } = child;
  let rows: Record<string, any>[];
  if (binding.type === 'latest') {
    rows = await query('SELECT key, version FROM process_definitions WHERE process_id = ? ORDER BY version DESC LIMIT 1', [processId]);
  } else if (binding.type === 'deployment') {
    rows = await query(
      'SELECT d.key, d.version FROM process_definitions d JOIN process_definitions p ON p.deployment_id = d.deployment_id WHERE p.key = ? AND d.process_id = ?',
      [parent.definitionKey, processId],
    );
  } else {
    return { failure: `Call activity '${child.parent.elementId}' binds '${processId}' by version tag '${binding.versionTag}', and Weft does not record version tags yet` };
  }
  if (rows.length === 0) {
    const which = binding.type === 'deployment' ? ' in the deployment of the calling process' : '';
    return { failure: `The called process '${processId}' is not deployed${which} (call activity '${child.parent.elementId}')` };
  }
  const { model } = await definitions.byKey(rows[0].key, (sql, bindings) => query(sql, bindings));
  return { key: rows[0].key as string, version: rows[0].version as number, model };
}
