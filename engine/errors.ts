/**
 * Every error the engine reports to a user carries a stable code, one HTTP
 * status and a message; the API edge turns it into
 * `{"error": {"code", "message", "details"?}}`. Bugs are plain Errors (500).
 *
 * Incident types (run-time failures on an instance) are listed here too, so
 * one file names every code Weft can say.
 */

export const ErrorCodes = {
  // 400: the request itself is malformed
  BAD_REQUEST: 400,
  INVALID_XML: 400,
  NOT_BPMN: 400,
  // 401 / 403
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  // 404
  NOT_FOUND: 404,
  PROCESS_NOT_FOUND: 404,
  INSTANCE_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  DECISION_NOT_FOUND: 404,
  BATCH_OPERATION_NOT_FOUND: 404,
  // 405: the path is served, not with this method (GET /mcp of a stateless endpoint; a webhook called with a method its `inbound.method` does not allow)
  METHOD_NOT_ALLOWED: 405,
  // 409: the request is fine but the state does not allow it
  INSTANCE_NOT_ACTIVE: 409,
  JOB_NOT_ACTIVE: 409,
  TASK_NOT_ACTIVE: 409,
  TASK_ALREADY_CLAIMED: 409,
  INCIDENT_NOT_OPEN: 409,
  /** Camunda's /v2 publication of a message whose id is still buffered (Weft's own API answers it with `duplicate: true`). */
  MESSAGE_ALREADY_PUBLISHED: 409,
  TIMER_NOT_ACTIVE: 409,
  SUBSCRIPTION_NOT_OPEN: 409,
  ELEMENT_NOT_TRIGGERABLE: 409,
  ELEMENT_NOT_WAITING: 409,
  /** A call activity's child is canceled through its root instance. */
  CHILD_INSTANCE: 409,
  /** A process that has no none start event cannot be started by a plain start (it waits for its timer or message). */
  NO_NONE_START_EVENT: 409,
  /** A modification names a token that is not there (no active instance of the element, or of that key). */
  NO_ACTIVE_TOKEN: 409,
  /** Writing to the secrets store needs WEFT_SECRETS_KEY. */
  SECRETS_KEY_NOT_SET: 409,
  /** A batch operation that has completed or was canceled cannot be canceled (again). */
  BATCH_OPERATION_ENDED: 409,
  // 429: sign-in attempts past the limit
  TOO_MANY_REQUESTS: 429,
  // 413 / 415
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // 422: understood, but the content is not acceptable
  INVALID_MODEL: 422,
  VARIABLES_INVALID: 422,
  /** A decision evaluated through the API could not be evaluated with the variables given. */
  DECISION_EVALUATION_FAILED: 422,
  /** A webhook request its activation condition does not accept (and `consumeUnmatchedEvents` is off). */
  ACTIVATION_CONDITION_NOT_MET: 422,
  /** A webhook's expression (correlation key, message id, result) could not be evaluated over the request. */
  WEBHOOK_REQUEST_UNPROCESSABLE: 422,
  /** A batch operation's filter matches more instances than one batch may hold. */
  BATCH_OPERATION_TOO_LARGE: 422,
  /** A modification or migration names an element its process does not have. */
  UNKNOWN_ELEMENT: 422,
  /** A modification would put a token where none can be put (a flow, a boundary event, a sub-process's start event…). */
  ELEMENT_NOT_ACTIVATABLE: 422,
  /** A migration its target or mappings do not allow (another process, an unmapped active element, a mapping across element types). */
  MIGRATION_REFUSED: 422,
  // 503
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class WeftError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'WeftError';
    this.status = ErrorCodes[code];
  }
}

/** Incident types: expected run-time failures that stop one token until resolved. */
export const IncidentTypes = {
  EXPRESSION_FAILED: 'EXPRESSION_FAILED',
  JOB_NO_RETRIES: 'JOB_NO_RETRIES',
  UNHANDLED_BPMN_ERROR: 'UNHANDLED_BPMN_ERROR',
  IO_MAPPING_FAILED: 'IO_MAPPING_FAILED',
  CONDITION_FAILED: 'CONDITION_FAILED',
  LOOP_LIMIT: 'LOOP_LIMIT',
  AD_HOC_ACTIVITY_UNKNOWN: 'AD_HOC_ACTIVITY_UNKNOWN',
  CALLED_PROCESS_NOT_FOUND: 'CALLED_PROCESS_NOT_FOUND',
  /** A business rule task's decision is not deployed (for its binding). */
  CALLED_DECISION_NOT_FOUND: 'CALLED_DECISION_NOT_FOUND',
  /** A business rule task's decision could not be evaluated; the message names the decision and the rule or input. */
  DECISION_EVALUATION_FAILED: 'DECISION_EVALUATION_FAILED',
} as const;

export type IncidentType = keyof typeof IncidentTypes;
