/**
 * What a kind of batch operation is: the parameters it takes (validated when
 * the batch is created) and what it does to one instance. A kind calls the
 * engine's own commands, so each effect is audited by the engine, with the
 * batch as the actor (`batch:<id>`).
 *
 * Adding a kind (`migrate`) is one file under kinds/ and one line in
 * kinds/index.ts.
 */
import type { z } from 'zod';
import type { EngineApi } from '../../service/types.js';

/** How an item ended; a WeftError thrown by `apply` is the third way: `failed`, with its code and message. */
export interface ItemOutcome {
  /** `done`: the effect was applied; `skipped`: the instance already was as the batch would leave it. */
  state: 'done' | 'skipped';
  message: string;
}

export interface KindContext {
  engine: EngineApi;
  /** Whom the engine's audit names for this item's effect: `batch:<id>`. */
  actor: string;
  /**
   * True when an earlier attempt at this item may have applied it (an engine
   * that stopped between the effect and the item's update): a kind then
   * answers `done` for an effect of its own it finds, rather than `skipped`.
   */
  retried: boolean;
  /** Whether the instance's audit holds an event of `type` recorded for `actor` (an earlier attempt's effect). */
  appliedBefore(instanceId: string, type: string): Promise<boolean>;
}

export interface BatchKind<P> {
  /**
   * The kind's own fields of the request body (beside kind, filter,
   * instanceIds and reason); strict, so a misspelt parameter is a 400
   * naming it, not a batch run without it.
   */
  parameters: z.ZodType<P>;
  /**
   * Applies the kind to one instance. Must be harmless to run again on an
   * instance it has already been applied to: the engine's commands commit
   * in transactions of their own, so an engine stopped between the effect
   * and the item's update leaves the item to be tried again.
   */
  apply(instanceId: string, parameters: P, ctx: KindContext): Promise<ItemOutcome>;
}
