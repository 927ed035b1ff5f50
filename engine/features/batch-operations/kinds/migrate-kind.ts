/**
 * `migrate`: rebinds each instance to another version of its process with
 * one element mapping for all (EngineApi.migrateInstance, audited as
 * INSTANCE_MIGRATED). An instance the migration refuses (an unmapped active
 * element, another process) fails with the engine's reason; one that has
 * ended is skipped; one already on the target version is skipped.
 *
 * Again after a stop: the instance is on the target by then, and the audit
 * shows whether this batch moved it (done) or someone else did (skipped).
 */
import { z } from 'zod';
import { migrationBody } from '../../../api/operation-schemas.js';
import type { BatchKind } from '../batch-kind.js';

const parameters = z.strictObject({ targetDefinitionKey: migrationBody.shape.targetDefinitionKey, mappings: migrationBody.shape.mappings });

export const migrateKind: BatchKind<z.output<typeof parameters>> = {
  parameters,
  async apply(instanceId, { targetDefinitionKey, mappings }, ctx) {
    const instance = await ctx.engine.getInstance(instanceId);
    if (instance.state !== 'ACTIVE') return { state: 'skipped', message: `not active: ${instance.state}` };
    if (instance.definitionKey === targetDefinitionKey) {
      if (ctx.retried && (await ctx.appliedBefore(instanceId, 'INSTANCE_MIGRATED'))) return { state: 'done', message: 'migrated' };
      return { state: 'skipped', message: 'already on the target version' };
    }
    const answer = await ctx.engine.migrateInstance(instanceId, { targetDefinitionKey, mappings, dryRun: false }, ctx.actor);
    return { state: 'done', message: `migrated from version ${answer.sourceVersion} to ${answer.targetVersion}` };
  },
};
