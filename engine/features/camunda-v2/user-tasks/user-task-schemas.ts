/** The bodies of /v2/user-tasks, checked at the edge. */
import { z } from 'zod';
import { variablesSchema } from '../../../api/schemas.js';
import { anyOf, dateRange, exact, integerFilter, jsonText, keyText, sortOrder, stringFilter } from '../filters.js';
import { pageRequest, tenantId } from '../search.js';

export const USER_TASK_STATES = ['CREATING', 'CREATED', 'ASSIGNING', 'UPDATING', 'COMPLETING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED'] as const;

/** Sort fields and the tasks column each means. */
export const USER_TASK_SORT_COLUMNS = {
  creationDate: 't.created_at',
  completionDate: 't.completed_at',
  followUpDate: 't.follow_up_date',
  dueDate: 't.due_date',
  priority: 't.priority',
  name: 't.name',
} as const;

/** `{name, value}`: a variable of that name whose value is this JSON text. */
const variableValue = z.strictObject({ name: z.string().min(1).max(255), value: exact(jsonText) });

const unsupported = (what: string) => z.never({ error: `${what} are not supported by Weft` });

export const userTaskSearchBody = z
  .strictObject({
    filter: z
      .strictObject({
        state: anyOf(z.enum(USER_TASK_STATES)).optional(),
        assignee: stringFilter().optional(),
        priority: integerFilter.optional(),
        elementId: exact(z.string().max(255)).optional(),
        name: stringFilter().optional(),
        candidateGroup: anyOf(z.string().max(255)).optional(),
        candidateUser: anyOf(z.string().max(255)).optional(),
        tenantId: exact(tenantId).optional(),
        processDefinitionId: exact(z.string().max(255)).optional(),
        creationDate: dateRange.optional(),
        completionDate: dateRange.optional(),
        followUpDate: dateRange.optional(),
        dueDate: dateRange.optional(),
        processInstanceVariables: z.array(variableValue).max(20).optional(),
        localVariables: z.array(variableValue).max(20).optional(),
        userTaskKey: exact(keyText).optional(),
        processDefinitionKey: exact(keyText).optional(),
        processInstanceKey: exact(keyText).optional(),
        elementInstanceKey: exact(keyText).optional(),
        tags: unsupported('tags').optional(),
      })
      .optional(),
    sort: z.array(z.strictObject({ field: z.enum(Object.keys(USER_TASK_SORT_COLUMNS) as [keyof typeof USER_TASK_SORT_COLUMNS]), order: sortOrder })).max(3).optional(),
    page: pageRequest,
  })
  .optional();

export type UserTaskFilter = NonNullable<NonNullable<z.output<typeof userTaskSearchBody>>['filter']>;

export const assignmentBody = z.strictObject({
  assignee: z.string().trim().min(1, 'must not be empty').max(255),
  /** Camunda's default: a task assigned to someone else is reassigned. */
  allowOverride: z.boolean().nullish(),
  action: z.string().max(255).nullish(),
});

export const completionBody = z
  .strictObject({
    variables: variablesSchema.nullish(),
    action: z.string().max(255).nullish(),
  })
  .optional();

export const unassignBody = z.strictObject({ action: z.string().max(255).nullish() }).optional();

export const taskVariableSearchBody = z
  .strictObject({
    filter: z.strictObject({ name: stringFilter().optional() }).optional(),
    sort: z.array(z.strictObject({ field: z.enum(['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey']), order: sortOrder })).max(3).optional(),
    page: pageRequest,
  })
  .optional();
