/**
 * Request bodies of the operations on a running instance: modification
 * (runtime/modification/instructions.ts) and migration. Strict, so a field
 * these do not know (a misspelt `elementInstancekey`) is a 400 naming it,
 * not an instruction quietly read another way.
 */
import { z } from 'zod';
import { variablesSchema } from './schemas.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const elementId = text(255);
const key = text(64);

/** Exactly one of two ways to name a token. */
const oneOf = (a: string, b: string) => (value: Record<string, unknown>) => (value[a] === undefined) !== (value[b] === undefined);

const cancel = z
  .strictObject({ type: z.literal('cancel'), elementInstanceKey: key.optional(), elementId: elementId.optional() })
  .refine(oneOf('elementInstanceKey', 'elementId'), 'name the token by exactly one of elementInstanceKey or elementId');

const startBefore = z.strictObject({
  type: z.literal('startBefore'),
  elementId,
  variables: variablesSchema.optional(),
  ancestorElementInstanceKey: key.optional(),
});

const startAfter = z.strictObject({
  type: z.literal('startAfter'),
  elementId,
  variables: variablesSchema.optional(),
  ancestorElementInstanceKey: key.optional(),
});

const move = z
  .strictObject({
    type: z.literal('move'),
    fromElementId: elementId.optional(),
    fromElementInstanceKey: key.optional(),
    toElementId: elementId,
    variables: variablesSchema.optional(),
    ancestorElementInstanceKey: key.optional(),
  })
  .refine(oneOf('fromElementInstanceKey', 'fromElementId'), 'name the tokens to move by exactly one of fromElementInstanceKey or fromElementId');

export const modificationBody = z.strictObject({
  instructions: z
    .array(z.discriminatedUnion('type', [cancel, startBefore, startAfter, move], { error: "type: must be 'cancel', 'startBefore', 'startAfter' or 'move'" }))
    .min(1, 'at least one instruction is needed')
    .max(100, 'at most 100 instructions in one modification'),
  reason: text(2000),
});

export const migrationBody = z.strictObject({
  targetDefinitionKey: z.guid('must be a process definition key'),
  mappings: z
    .array(z.strictObject({ sourceElementId: elementId, targetElementId: elementId }))
    .max(10_000),
  dryRun: z.boolean().default(false),
});
