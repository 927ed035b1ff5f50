/**
 * A person approves before a job's task leaves for a remote agent, where the
 * administrator's connection says so (`approval: {candidateGroups}`): the
 * same governance as an agent's `needs-approval` tool call, through the same
 * built-in review process (connectors/agents/human-review.ts). The inbox
 * shows it as a tool approval: the tool is `a2a:<connection>`, its arguments
 * the message and data that would be sent.
 *
 * Durable: the review instance's id is kept in the job's a2a_remote_tasks row;
 * the job waits (retries kept, a long backoff) and the person's decision
 * wakes it. Declined: the BPMN error `A2A_TASK_DECLINED`; nothing is sent.
 */
import type { ActivatedJob } from '../../engine/service/types.js';
import type { A2aConnection } from '../../engine/connections/connection-schema.js';
import type { HumanReview } from '../agents/human-review.js';
import { redact } from '../../engine/security/redaction.js';
import type { A2aInputs } from './a2a-inputs.js';
import type { ExchangeOutcome } from './a2a-exchange.js';
import { insertAudit, type RemoteTaskRepository } from './remote-task-repository.js';

export const A2A_TASK_DECLINED = 'A2A_TASK_DECLINED';

/** Null: approved (or no approval needed), send. Otherwise what the job does now. */
export async function approvalGate(
  job: ActivatedJob,
  inputs: A2aInputs,
  connection: A2aConnection,
  deps: { repo: RemoteTaskRepository; review: HumanReview; waitMs: number },
): Promise<(ExchangeOutcome & { reviewInstanceId?: string }) | null> {
  if (!connection.approval) return null;
  const row = await deps.repo.get(job.key);
  if (row?.remote_task_id) return null; // sent already (approved then)
  const actor = `a2a:${inputs.connection}`;
  const reason = `the task for remote agent '${inputs.connection}' waits for approval`;
  if (!row?.review_instance_id) {
    const reviewInstanceId = await deps.review.request(
      {
        kind: 'tool-approval',
        agent: actor,
        agentJobKey: job.key,
        sourceProcessInstanceId: job.processInstanceId,
        sourceElementId: job.elementId,
        toolCall: redact({ name: actor, args: { message: inputs.message, ...(inputs.data ? { data: inputs.data } : {}) } }),
      },
      connection.approval,
    );
    await deps.repo.recordApprovalRequested(job.key, inputs.connection, job.processInstanceId, reviewInstanceId);
    await insertAudit(deps.repo.db, job.processInstanceId, actor, 'A2A_APPROVAL_REQUESTED', { connection: inputs.connection, reviewInstanceId }, job.elementId);
    return { kind: 'wait', reason, backoffMs: deps.waitMs, reviewInstanceId };
  }
  const decision = await deps.review.decision(row.review_instance_id);
  if (!decision) return { kind: 'wait', reason, backoffMs: deps.waitMs, reviewInstanceId: row.review_instance_id };
  if (row.state === 'APPROVAL') {
    await insertAudit(deps.repo.db, job.processInstanceId, actor, 'A2A_APPROVAL_DECIDED', { connection: inputs.connection, reviewInstanceId: row.review_instance_id, approved: decision.approved, comment: decision.comment ?? null }, job.elementId);
  }
  if (!decision.approved) {
    return {
      kind: 'bpmn-error',
      errorCode: A2A_TASK_DECLINED,
      message: `A person declined sending the task to remote agent '${inputs.connection}'${decision.comment ? `: ${decision.comment}` : ''}`,
      variables: { [inputs.resultVariable]: { status: 'declined', comment: decision.comment ?? null } },
    };
  }
  return null;
}
