/**
 * People in the loop: approval of a `needs-approval` tool call and review of
 * an output (low confidence or a `review` policy).
 *
 * Durable design: each request starts an instance of a small built-in process
 * (`weft-agent-review`, one user task, deployed on first use) whose task
 * carries everything the person needs in its variables: the agent, the
 * source instance, and the tool call — or the proposal, confidence,
 * reasoning and evidence. The agent job then waits: it fails with its
 * retries kept and a backoff, and each retry replays the run's journal (no
 * model call repeated) and looks whether the task was decided. The person
 * completes the task with `{approved: true|false, output?, comment?}`; for a
 * review, `output` replaces the proposal (approve and edit). The job after
 * the task wakes the waiting agent job at once, so the run goes on when the
 * person decides, not when its (long) wait backoff ends. What the person
 * may send is checked before the task completes (review-completion.ts) and
 * again when the run takes it (agent-run.ts).
 */
import type { EngineApi } from '../../engine/service/types.js';

export const REVIEW_PROCESS_ID = 'weft-agent-review';
/** The job after the person's decision: it wakes the agent job waiting for it (variable `agentJobKey`). */
export const REVIEW_DECIDED_JOB_TYPE = 'weft-agent-review-decided';

const REVIEW_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="weft-agent-review-definitions" targetNamespace="http://weft.dev/agents">
  <bpmn:process id="${REVIEW_PROCESS_ID}" name="Agent approval and review" isExecutable="true">
    <bpmn:startEvent id="requested"><bpmn:outgoing>toDecide</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="toDecide" sourceRef="requested" targetRef="decide" />
    <bpmn:userTask id="decide" name="Agent request: approve or reject">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="=candidateGroups" />
        <zeebe:taskSchedule dueDate="=dueDate" />
      </bpmn:extensionElements>
      <bpmn:incoming>toDecide</bpmn:incoming><bpmn:outgoing>toDone</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="toWake" sourceRef="decide" targetRef="wake" />
    <bpmn:serviceTask id="wake" name="Wake the waiting agent">
      <bpmn:extensionElements><zeebe:taskDefinition type="${REVIEW_DECIDED_JOB_TYPE}" /></bpmn:extensionElements>
      <bpmn:incoming>toWake</bpmn:incoming><bpmn:outgoing>toDone</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toDone" sourceRef="wake" targetRef="decided" />
    <bpmn:endEvent id="decided"><bpmn:incoming>toDone</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

export type ReviewEngine = Pick<EngineApi, 'deploy' | 'startInstance' | 'getInstance'>;

export interface HumanDecision {
  approved: boolean;
  output?: unknown;
  comment?: string;
  decidedBy?: string;
}

export class HumanReview {
  private deployed: Promise<unknown> | null = null;

  constructor(private readonly engine: ReviewEngine) {}

  /** Starts the request; returns the id of the instance holding the inbox task. */
  async request(variables: Record<string, unknown>, review: { candidateGroups: string[]; dueInHours?: number }, now = new Date()): Promise<string> {
    this.deployed ??= this.engine.deploy([{ name: 'weft-agent-review.bpmn', content: REVIEW_PROCESS }], 'agent');
    await this.deployed.catch((error) => {
      this.deployed = null;
      throw error;
    });
    const dueDate = review.dueInHours ? new Date(now.getTime() + review.dueInHours * 3_600_000).toISOString() : null;
    const instance = await this.engine.startInstance(
      { processId: REVIEW_PROCESS_ID, variables: { ...variables, candidateGroups: review.candidateGroups, dueDate } },
      'agent',
    );
    return instance.id;
  }

  /** The decision once the task is completed; null while it is open. */
  async decision(instanceId: string): Promise<HumanDecision | null> {
    const instance = await this.engine.getInstance(instanceId);
    if (instance.state === 'CANCELED' || instance.state === 'TERMINATED') return { approved: false, comment: `the request was ${instance.state.toLowerCase()}` };
    const decided = instance.state === 'COMPLETED' || instance.elements.some((e) => e.elementId === 'decide' && e.state === 'COMPLETED');
    if (!decided) return null;
    const v = instance.variables;
    return {
      approved: v.approved === true,
      output: v.output,
      comment: typeof v.comment === 'string' ? v.comment : undefined,
    };
  }
}
