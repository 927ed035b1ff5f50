/**
 * Weft's incident types and states by Camunda's names (IncidentErrorTypeEnum,
 * IncidentStateEnum), both ways: a client reads Camunda's, and a filter in
 * Camunda's names finds Weft's rows.
 */
import { IncidentTypes, type IncidentType } from '../../../errors.js';

export const ERROR_TYPES = {
  JOB_NO_RETRIES: 'JOB_NO_RETRIES',
  /** A FEEL expression that could not be evaluated (an input, a header, a timer, a correlation key). */
  EXPRESSION_FAILED: 'EXTRACT_VALUE_ERROR',
  UNHANDLED_BPMN_ERROR: 'UNHANDLED_ERROR_EVENT',
  IO_MAPPING_FAILED: 'IO_MAPPING_ERROR',
  CONDITION_FAILED: 'CONDITION_ERROR',
  /** Zeebe has no loop guard; Camunda's clients know no closer name. */
  LOOP_LIMIT: 'UNKNOWN',
  AD_HOC_ACTIVITY_UNKNOWN: 'AD_HOC_SUB_PROCESS_NO_RETRIES',
  CALLED_PROCESS_NOT_FOUND: 'CALLED_ELEMENT_ERROR',
  CALLED_DECISION_NOT_FOUND: 'CALLED_DECISION_ERROR',
  DECISION_EVALUATION_FAILED: 'DECISION_EVALUATION_ERROR',
} as const satisfies Record<IncidentType, string>;

export const CAMUNDA_ERROR_TYPES = [
  'AD_HOC_SUB_PROCESS_NO_RETRIES',
  'CALLED_DECISION_ERROR',
  'CALLED_ELEMENT_ERROR',
  'CONDITION_ERROR',
  'DECISION_EVALUATION_ERROR',
  'EXECUTION_LISTENER_NO_RETRIES',
  'EXTRACT_VALUE_ERROR',
  'FORM_NOT_FOUND',
  'IO_MAPPING_ERROR',
  'JOB_NO_RETRIES',
  'MESSAGE_SIZE_EXCEEDED',
  'RESOURCE_NOT_FOUND',
  'TASK_LISTENER_NO_RETRIES',
  'UNHANDLED_ERROR_EVENT',
  'UNKNOWN',
  'UNSPECIFIED',
] as const;

export const CAMUNDA_INCIDENT_STATES = ['ACTIVE', 'MIGRATED', 'PENDING', 'RESOLVED', 'UNKNOWN'] as const;

export const errorTypeV2 = (type: string): string => (ERROR_TYPES as Record<string, string>)[type] ?? 'UNKNOWN';

/** The Weft types a Camunda error type stands for (none for the kinds Weft never raises). */
export const weftTypesOf = (errorType: string): string[] => (Object.keys(IncidentTypes) as IncidentType[]).filter((t) => ERROR_TYPES[t] === errorType);

export const stateV2 = (state: string): string => (state === 'OPEN' ? 'ACTIVE' : state);

export const weftStatesOf = (state: string): string[] => (state === 'ACTIVE' ? ['OPEN'] : state === 'RESOLVED' ? ['RESOLVED'] : []);
