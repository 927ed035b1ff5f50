/** How a failed API command reads on stderr: the server's code, message and details, plainly; never a stack. */
import { ApiError, UnreachableError, UsageError } from './api-client.js';

interface Problem {
  file?: string;
  elementId?: string;
  field?: string;
  message?: string;
}

/** The lines a failure prints; bugs (anything else) print their message only. */
export function describeFailure(error: unknown): string[] {
  if (error instanceof ApiError) {
    const lines = [`Error ${error.status} ${error.code}: ${error.message}`];
    const details = error.details as { problems?: Problem[] } | Array<{ path?: string; message?: string }> | undefined;
    if (Array.isArray(details)) {
      for (const d of details) lines.push(`  ${d.path || '(body)'}: ${d.message}`);
    } else if (details && Array.isArray(details.problems)) {
      for (const p of details.problems) lines.push(`  ${[p.file, p.elementId, p.field].filter(Boolean).join(' ') || '(deployment)'}: ${p.message}`);
    } else if (details !== undefined) {
      lines.push(`  ${JSON.stringify(details)}`);
    }
    return lines;
  }
  if (error instanceof UnreachableError || error instanceof UsageError) return [error.message];
  return [error instanceof Error ? error.message : String(error)];
}
