/**
 * How a tool call answers: JSON text (for every client) and the same object
 * as structuredContent. A refusal or a caller's mistake is a tool error
 * result (`isError`) carrying the REST API's error shape
 * `{"error": {code, message, details?}}`, so an agent can read it and correct
 * itself; a bug is logged and answered "Internal error", never its message.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { WeftError, type ErrorCode } from '../../errors.js';
import { unavailableService } from '../../connection-error.js';
import { scrubStrings } from '../../security/redaction.js';

interface ErrorBody {
  error: { code: ErrorCode | 'INTERNAL'; message: string; details?: unknown };
}

export function toolResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

export function toolError(code: ErrorCode | 'INTERNAL', message: string, details?: unknown): CallToolResult {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  // A message may quote what the caller sent (a header, a URL with its password): scrubbed like the REST errors.
  const safe = scrubStrings(body);
  return { content: [{ type: 'text', text: JSON.stringify(safe) }], structuredContent: safe as unknown as Record<string, unknown>, isError: true };
}

/** A zod problem as `field: message`, the field written as a dotted path (`variables.amount`). */
export function zodDetails(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function errorResult(err: unknown, logger: Logger, tool: string): CallToolResult {
  if (err instanceof WeftError) return toolError(err.code, err.message, err.details);
  if (err instanceof ZodError) {
    const details = zodDetails(err);
    return toolError('BAD_REQUEST', `Invalid arguments: ${details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')}`, details);
  }
  const service = unavailableService(err);
  if (service) return toolError('SERVICE_UNAVAILABLE', `${service} is unavailable; try again shortly`);
  logger.error({ err, tool }, 'unhandled error in MCP tool');
  return toolError('INTERNAL', 'Internal error');
}
