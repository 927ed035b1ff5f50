/**
 * The earlier turns of an ad-hoc sub-process agent, defined once for the
 * runner (which replays their journals: AgentRepository.adHocHistory) and the
 * live agent view (which counts their usage against the limits: run-board.ts).
 *
 * Each turn is its own job and run; its journal begins with a `turn` marker
 * (scopeKey, turn). The earlier turns of job J are the other jobs of J's
 * process instance whose marker has J's scopeKey and a smaller turn.
 *
 * One parameter: the job keys (uuid[]). Rows: for_job, earlier_job, turn.
 */
export const EARLIER_TURNS = `SELECT mine.job_key AS for_job, t.job_key AS earlier_job, (t.payload->>'turn')::int AS turn
  FROM agent_run_steps mine
  JOIN agent_runs r ON r.id = mine.run_id
  JOIN agent_runs er ON er.process_instance_id = r.process_instance_id AND er.job_key <> mine.job_key
  JOIN agent_run_steps t ON t.job_key = er.job_key AND t.kind = 'turn'
   AND t.payload->>'scopeKey' = mine.payload->>'scopeKey' AND (t.payload->>'turn')::int < (mine.payload->>'turn')::int
 WHERE mine.job_key = ANY(?::uuid[]) AND mine.kind = 'turn'`;
