/**
 * The `a2a` job's inputs, validated before anything is sent. They come from
 * `zeebe:ioMapping` inputs (FEEL, or a literal) as job variables; the
 * connection may instead be a task header, since it is configuration rather
 * than data. A bad input is an incident naming the field, never a retry.
 */
import { z } from 'zod';
import type { Variables } from '../../engine/runtime/types.js';

export const DEFAULT_RESULT_VARIABLE = 'a2aResult';

const inputs = z.object({
  connection: z.string({ error: 'must name an A2A connection the administrator configured' }).min(1, 'must name an A2A connection the administrator configured'),
  message: z.string({ error: 'must be text (the task for the remote agent)' }).min(1, 'must not be empty').max(100_000, 'must be at most 100000 characters'),
  data: z.record(z.string(), z.unknown(), { error: 'must be an object (sent as a data part)' }).nullish(),
});

const headers = z.object({
  resultVariable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name').default(DEFAULT_RESULT_VARIABLE),
  pollIntervalMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(50).max(3_600_000).default(5000),
});

export interface A2aInputs {
  connection: string;
  message: string;
  data?: Record<string, unknown>;
  resultVariable: string;
  pollIntervalMs: number;
}

export function parseInputs(variables: Variables, taskHeaders: Record<string, string>): { inputs: A2aInputs } | { problem: string } {
  const given = { connection: variables.connection ?? taskHeaders.connection, message: variables.message, data: variables.data };
  const parsed = inputs.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `a2a task: input '${issue.path.join('.') || 'inputs'}' ${issue.message}` };
  }
  const h = headers.safeParse({ resultVariable: taskHeaders.resultVariable || undefined, pollIntervalMs: taskHeaders.pollIntervalMs || undefined });
  if (!h.success) {
    const issue = h.error.issues[0];
    return { problem: `a2a task: task header '${issue.path.join('.')}' ${issue.message}` };
  }
  return { inputs: { ...parsed.data, data: parsed.data.data ?? undefined, ...h.data } };
}
