/**
 * The shape of every request body and query string the REST API accepts.
 * Parsing with these is the only way a route reads `req.body` or `req.query`,
 * so a bad request becomes a 400 with one detail per problem, never a 500.
 */
import { z } from 'zod';
import { WeftError, type ErrorCode } from '../errors.js';
import { MAX_MESSAGE_TTL_MS } from '../messages/message-types.js';
import { MAX_MESSAGE_TEXT_BYTES, utf8Length } from '../runtime/waits/waits.js';
import { MAX_SIGNAL_NAME_BYTES } from '../signals/signal-types.js';
import { INSTANCE_SORT_FIELDS, type InstanceSortField } from '../persistence/instance-search.js';

/** Process variables: a JSON object (not an array, not null). */
export const variablesSchema = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** `limit` and `offset` of a paged list (at most `max` a page, 50 by default). */
export function pageFields(max = 500) {
  return {
    limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(max).default(50),
    offset: z.coerce.number({ error: 'must be a number' }).int().min(0).default(0),
  };
}

const pageQuery = pageFields();

export const startInstanceBody = z.object({
  processId: nonEmpty,
  version: z.number().int().positive().optional(),
  variables: variablesSchema.optional(),
  businessKey: nonEmpty.max(255).optional(),
});

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-12-03T12:00:00Z' }).transform((s) => new Date(s));
const yesNo = z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).transform((s) => s === 'true');
/** A query-string value that is JSON (a variable's value: `42`, `"gold"`, `true`, `{"a":1}`). */
const jsonText = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON value (quote a string: "gold")' });
    return z.NEVER;
  }
});

/**
 * The instance search (persistence/instance-search.ts). A variable is looked
 * for by name and JSON value together; one without the other is a 400.
 */
/** The criteria of the instance search: which instances. The list API adds its order and page; a batch operation takes them alone as its filter. */
export const instanceSearchFields = {
  processId: nonEmpty.optional(),
  version: z.coerce.number({ error: 'must be a number' }).int().positive().optional(),
  state: z.enum(['ACTIVE', 'COMPLETED', 'TERMINATED', 'CANCELED']).optional(),
  hasIncident: yesNo.optional(),
  businessKey: nonEmpty.max(255).optional(),
  variableName: nonEmpty.max(255).optional(),
  variableValue: jsonText.optional(),
  startedAfter: instant.optional(),
  startedBefore: instant.optional(),
  endedAfter: instant.optional(),
  endedBefore: instant.optional(),
};

/** The order of an instance list (not a criterion: a batch filter of only an order would match every instance). */
const instanceOrder = {
  sortBy: z.enum(Object.keys(INSTANCE_SORT_FIELDS) as [InstanceSortField, ...InstanceSortField[]]).optional(),
  sortOrder: z.enum(['asc', 'desc']).optional(),
};

interface VariablePair {
  variableName?: string;
  variableValue?: unknown;
}

/** A variable is searched for by name and value together; one without the other is a 400. */
export function variablePair(q: VariablePair, ctx: z.RefinementCtx): void {
  if (q.variableName !== undefined && q.variableValue === undefined) ctx.addIssue({ code: 'custom', path: ['variableValue'], message: 'is needed with variableName' });
  if (q.variableValue !== undefined && q.variableName === undefined) ctx.addIssue({ code: 'custom', path: ['variableName'], message: 'is needed with variableValue' });
}

/** The query's flat name and value as the search's one `variable` criterion. */
export function toInstanceSearch<Q extends VariablePair>({ variableName, variableValue, ...rest }: Q) {
  return { ...rest, ...(variableName !== undefined ? { variable: { name: variableName, value: variableValue } } : {}) };
}

export const listInstancesQuery = z
  .strictObject({ ...instanceSearchFields, ...instanceOrder, ...pageQuery })
  .superRefine(variablePair)
  .transform(toInstanceSearch);

/** Changing an instance's variables by hand: always with a reason, which the audit keeps. */
export const updateVariablesBody = z.strictObject({
  /** The scope (element instance key) whose variables change; the process scope (the instance id) when absent. */
  scopeKey: nonEmpty.max(255).optional(),
  variables: variablesSchema.refine((v) => Object.keys(v).length > 0, 'must name at least one variable'),
  reason: nonEmpty.max(1000),
});

export const activateJobsBody = z.object({
  type: nonEmpty,
  maxJobs: z.number().int().min(1).max(1000).default(10),
  workerId: nonEmpty.max(255),
  timeoutMs: z.number().int().min(1).max(86_400_000).default(300_000),
});

/** Activating one job by key: what a BullMQ worker on another host does when its queue hands it the key. */
export const activateJobBody = z.object({
  workerId: nonEmpty.max(255),
  timeoutMs: z.number().int().min(1).max(86_400_000).default(300_000),
});

export const completeBody = z.object({
  variables: variablesSchema.optional(),
});

export const failJobBody = z.object({
  retries: z.number().int().min(0),
  errorMessage: z.string(),
  retryBackoffMs: z.number().int().min(0).optional(),
});

/** An operator gives a job attempts (Zeebe refuses fewer than 1: a job is not failed this way). */
export const jobRetriesBody = z.strictObject({
  retries: z.number().int().min(1, 'must be at least 1').max(1_000_000),
});

export const bpmnErrorBody = z.object({
  errorCode: nonEmpty,
  errorMessage: z.string().optional(),
  variables: variablesSchema.optional(),
});

/**
 * Publishing a message. Strict: a field it does not know (Camunda's
 * `timeToLive`, say) is a 400, not a message published with no time to live.
 * A numeric correlation key is matched by its decimal text, as subscriptions
 * evaluate number keys.
 */
const messageText = <T extends z.ZodType<string>>(schema: T) => schema.refine((s) => utf8Length(s) <= MAX_MESSAGE_TEXT_BYTES, `must be at most ${MAX_MESSAGE_TEXT_BYTES} bytes (UTF-8)`);

export const publishMessageBody = z.strictObject({
  name: messageText(nonEmpty),
  correlationKey: messageText(z.union([z.string(), z.number()], { error: 'must be a string or a number' }).transform(String)).optional(),
  variables: variablesSchema.optional(),
  timeToLiveMs: z
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(0)
    .max(MAX_MESSAGE_TTL_MS, `must be at most ${MAX_MESSAGE_TTL_MS} (30 days)`)
    .optional(),
  messageId: messageText(nonEmpty).optional(),
});

/** Continuing a receive task without a message (TRIGGER). */
export const triggerBody = z.strictObject({
  elementId: nonEmpty.max(255),
  elementInstanceKey: nonEmpty.max(64).optional(),
  variables: variablesSchema.optional(),
});

/** Broadcasting a signal. Strict: a field it does not know is a 400, not a signal broadcast without it. */
export const broadcastSignalBody = z.strictObject({
  name: nonEmpty.refine((s) => utf8Length(s) <= MAX_SIGNAL_NAME_BYTES, `must be at most ${MAX_SIGNAL_NAME_BYTES} bytes (UTF-8)`),
  variables: variablesSchema.optional(),
});

export const listTasksQuery = z.object({
  assignee: nonEmpty.optional(),
  candidateGroup: nonEmpty.optional(),
  state: z.enum(['CREATED', 'COMPLETED', 'CANCELED']).optional(),
  processInstanceId: z.guid().optional(),
  ...pageQuery,
});

export const claimTaskBody = z.object({
  assignee: nonEmpty.max(255),
});

export const listIncidentsQuery = z.object({
  processInstanceId: z.guid().optional(),
  state: z.enum(['OPEN', 'RESOLVED']).optional(),
});

export const resourceName = nonEmpty.max(255);

/** A body that is absent (no Content-Type) parses like `{}`. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  return schema.parse(body ?? {});
}

const guid = z.guid();

/** Path parameters, as the document shows them (pathId checks them: a malformed id names nothing, a 404). */
export const idParam = (what: string) => z.object({ id: guid.describe(`The ${what}'s id`) });
export const instanceParams = idParam('process instance');
export const taskParams = idParam('task');
export const incidentParams = idParam('incident');
export const jobParams = z.object({ key: guid.describe("The job's key") });

/**
 * Path ids are UUIDs in Postgres; a malformed one names nothing, so it is a
 * 404 here rather than a cast error (500) in the database.
 */
export function pathId(value: string | string[] | undefined, code: ErrorCode, what: string): string {
  const id = Array.isArray(value) ? value[0] : value;
  if (!guid.safeParse(id).success) throw new WeftError(code, `${what} '${id ?? ''}' not found`);
  return id as string;
}
