/**
 * `cancel`: cancels each instance (EngineApi.cancelInstance, audited as
 * INSTANCE_CANCELED). An instance that has already ended is skipped; a
 * child of a call activity is refused by the engine (cancel its root).
 *
 * Again after a stop: the instance is CANCELED by then, and the audit shows
 * whether this batch did it (done) or someone else (skipped).
 */
import { z } from 'zod';
import { WeftError } from '../../../errors.js';
import type { BatchKind } from '../batch-kind.js';

export const cancelKind: BatchKind<Record<string, never>> = {
  parameters: z.strictObject({}),
  async apply(instanceId, _parameters, ctx) {
    try {
      await ctx.engine.cancelInstance(instanceId, ctx.actor);
      return { state: 'done', message: 'canceled' };
    } catch (error) {
      if (!(error instanceof WeftError) || error.code !== 'INSTANCE_NOT_ACTIVE') throw error;
      if (ctx.retried && (await ctx.appliedBefore(instanceId, 'INSTANCE_CANCELED'))) return { state: 'done', message: 'canceled' };
      return { state: 'skipped', message: `not active: ${error.message}` };
    }
  },
};
