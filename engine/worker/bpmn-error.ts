import type { Variables } from '../runtime/types.js';

/**
 * Thrown by a job handler for a business error the diagram models (an error
 * boundary event catches it by code). Any other thrown error is a technical
 * failure: the job is retried while retries last, then an incident opens.
 */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message?: string,
    readonly variables: Variables = {},
  ) {
    super(message ?? code);
    this.name = 'BpmnError';
  }
}
