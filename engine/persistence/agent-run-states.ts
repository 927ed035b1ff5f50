/**
 * An agent run's state is its job's state: when the agent job ends or is
 * handed out again after its incident was resolved, the run row changes in
 * the same statement as the job row, the incident and the audit (so the
 * agent-runs API can never say RUNNING while the job waits in an incident,
 * or FAILED while a retried attempt runs).
 *
 * The worker still writes what only it knows (output, decision, the reason
 * of a wait) before it reports the outcome; the engine writes the state.
 *
 * Both parts read the rows the job CTEs return (`job_finishes`,
 * `job_retries` in effect-applier.ts), so only agent jobs (types `agent`
 * and `agent:<name>`, the agent queue's) touch agent_runs.
 */

const IS_AGENT_JOB = (alias: string) => `(${alias}.type = 'agent' OR ${alias}.type LIKE 'agent:%')`;

/**
 * An ended agent job ends its run: COMPLETED, FAILED (out of retries, an
 * incident is open), REJECTED (a BPMN error) or CANCELED (its element left).
 * `now()` adds the statement's timestamp as a binding and returns its placeholder (one per use).
 */
export function agentRunEndsSql(now: () => string): string {
  const ended = now();
  const updated = now();
  return `UPDATE agent_runs r SET
      status = CASE f.state WHEN 'COMPLETED' THEN 'COMPLETED' WHEN 'FAILED' THEN 'FAILED' WHEN 'ERROR_THROWN' THEN 'REJECTED' ELSE 'CANCELED' END,
      error = CASE f.state WHEN 'COMPLETED' THEN NULL WHEN 'CANCELED' THEN r.error ELSE COALESCE(f.error_message, r.error) END,
      ended_at = ${ended}::timestamptz, updated_at = ${updated}::timestamptz
     FROM job_finishes f WHERE r.job_key = f.key AND ${IS_AGENT_JOB('f')}`;
}

/**
 * A job handed out again whose run had ended (resolve and retry of its
 * incident) starts the run's next attempt. A retry while the run is still
 * going (a wait, a crashed attempt with retries left) changes nothing.
 */
export function agentRunRetriesSql(now: () => string): string {
  return `UPDATE agent_runs r SET status = 'RUNNING', attempt = r.attempt + 1, error = NULL, ended_at = NULL, updated_at = ${now()}::timestamptz
     FROM job_retries x WHERE r.job_key = x.key AND r.ended_at IS NOT NULL AND ${IS_AGENT_JOB('x')}`;
}
