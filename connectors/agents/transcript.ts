/**
 * A run's transcript for GET /api/agent-runs/:id, rebuilt from the journal:
 * messages in order, tool calls with arguments and results, token usage,
 * latency, cost estimate and policy decisions. Secrets are redacted.
 */
import type { AgentRepository, RunRow } from './agent-repository.js';
import { redact } from '../../engine/security/redaction.js';
import { modelLabel } from './definition.js';

export async function transcript(repo: AgentRepository, run: RunRow) {
  const steps = await repo.steps(run.job_key);
  const definition = await repo.definitionByKey(run.definition_key);
  const messages: Record<string, unknown>[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  const decisions: Record<string, unknown>[] = [];
  const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let latencyMs = 0;
  let costUsd = 0;
  let modelCalls = 0;
  for (const { step, kind, payload, at } of steps) {
    const when = at instanceof Date ? at.toISOString() : at;
    if (kind === 'prompt') {
      messages.push({ step, role: 'system', content: payload.system, at: when });
      messages.push({ step, role: 'user', content: payload.prompt, at: when });
    } else if (kind === 'model') {
      modelCalls++;
      usage.inputTokens += payload.usage.input;
      usage.outputTokens += payload.usage.output;
      latencyMs += payload.latencyMs;
      costUsd += payload.costUsd;
      messages.push({ step, role: 'assistant', content: payload.content, toolCalls: payload.toolCalls, usage: payload.usage, latencyMs: payload.latencyMs, costUsd: payload.costUsd, at: when });
    } else if (kind === 'tool') {
      latencyMs += payload.latencyMs;
      toolCalls.push({ step, id: payload.toolCallId, name: payload.name, args: payload.args, status: payload.status, result: payload.result, reason: payload.reason ?? null, latencyMs: payload.latencyMs, at: when });
      messages.push({ step, role: 'tool', toolCallId: payload.toolCallId, name: payload.name, content: payload.result, status: payload.status, at: when });
    } else if (kind === 'activity') {
      toolCalls.push({ step, id: payload.toolCallId, name: payload.elementId, args: payload.args, status: 'activity-chosen', result: null, latencyMs: 0, at: when });
    } else if (kind === 'turn') {
      messages.push({ step, role: 'engine', content: `turn ${payload.turn} of ad-hoc sub-process ${payload.scopeKey}`, at: when });
    } else if (kind === 'repair') {
      messages.push({ step, role: 'user', content: `Output did not validate: ${payload.errors.join('; ')}`, repair: true, at: when });
      decisions.push({ step, decision: 'repair', errors: payload.errors, at: when });
    } else if (kind === 'approval') {
      decisions.push({ step, decision: 'approval-requested', toolCallId: payload.toolCallId, reviewInstanceId: payload.reviewInstanceId, at: when });
    } else if (kind === 'review') {
      decisions.push({ step, decision: 'review-requested', reason: payload.reason, reviewInstanceId: payload.reviewInstanceId, at: when });
    } else if (kind === 'decision') {
      decisions.push({ step, ...payload, at: when });
    }
  }
  for (const call of toolCalls) if (call.status === 'refused') decisions.push({ step: call.step, decision: 'tool-refused', tool: call.name, reason: call.reason });
  decisions.sort((a, b) => (a.step as number) - (b.step as number));
  usage.totalTokens = usage.inputTokens + usage.outputTokens;
  return redact({
    id: run.id,
    jobKey: run.job_key,
    processInstanceId: run.process_instance_id,
    elementId: run.element_id,
    agent: { name: run.agent_name, version: run.agent_version, model: definition ? modelLabel(definition.definition.model) : null },
    status: run.status,
    attempt: run.attempt,
    output: run.output,
    error: run.error,
    startedAt: run.started_at,
    endedAt: run.ended_at,
    modelCalls,
    usage,
    latencyMs,
    costUsd,
    messages,
    toolCalls,
    decisions,
  });
}
