/**
 * One attempt at an agent job: replay the run's journal, then continue.
 *
 * The journal (agent_run_steps, keyed by job key + step number) holds every
 * model response and every tool result, written BEFORE it is acted on. A
 * retried job (a crash, a wait for a person, a kill switch) rebuilds the
 * conversation from the journal: a journaled model step is not sent to the
 * model again and a journaled tool result is not produced again. Only the
 * step after the last journaled one is new work. (A tool that ran but whose
 * result was not yet journaled when the worker died runs again, with the
 * same idempotency key.)
 *
 * Governance is enforced here, in code: tool verdicts (governance.ts),
 * approval and review through people (human-review.ts), output validation
 * with one repair round, policies, limits and kill switches.
 */
import { isDeepStrictEqual } from 'node:util';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { modelLabel, type AgentDefinition, type AgentTool } from './definition.js';
import type { AgentRepository, RunRow, RunWait, StepRow, StoredDefinition } from './agent-repository.js';
import { judgeToolCall, decideOutput, confidenceOf, outputProblems } from './governance.js';
import { processVariables } from './condition-scope.js';
import { parseJsonReply } from './json-schema.js';
import { renderPrompt } from './prompt.js';
import { costOf } from './models.js';
import { ModelCallError } from './model-failure.js';
import { checkedModelConnection } from './definition-reach.js';
import type { ServerReach } from '../../engine/connections/server-reach.js';
import { McpSessions } from './mcp-tools.js';
import type { ToolRegistry } from './tool-registry.js';
import type { HumanReview } from './human-review.js';
import { redact, scrubStrings } from '../../engine/security/redaction.js';
import type { ToolJobOutcome } from '../../engine/runtime/types.js';

export type RunOutcome =
  | { kind: 'complete'; variables: Record<string, unknown> }
  /** `reviewInstanceId`: the request a `decision` wait is for. */
  | { kind: 'wait'; reason: string; until: 'decision' | 'switch'; reviewInstanceId?: string }
  /** A tool call is a job (tool-jobs.ts): the run waits until that job has ended. */
  | { kind: 'wait'; reason: string; until: 'tool'; processInstanceId: string; toolJobKey: string }
  | { kind: 'incident'; message: string }
  | { kind: 'bpmn-error'; errorCode: string; message: string; variables?: Record<string, unknown> };

export interface AgentJob {
  key: string;
  processInstanceId: string;
  elementId: string;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
}

/** What a run asks of the engine for a tool call that is a job (EngineService). */
export interface ToolJobs {
  createToolJob(parentJobKey: string, req: { toolCallId: string; type: string; retries?: number; variables: Record<string, unknown>; headers?: Record<string, string> }, actor: string): Promise<{ jobKey: string }>;
  toolJobOutcome(processInstanceId: string, toolJobKey: string): Promise<ToolJobOutcome | { state: 'PENDING' } | null>;
}

export interface AgentRunDeps {
  repo: AgentRepository;
  /** Tool calls no in-process handler serves become jobs any worker of their type can do. */
  jobs: ToolJobs;
  model: (definition: AgentDefinition) => BaseChatModel;
  tools: ToolRegistry;
  review: HumanReview;
  /** The server's connections and inline settings (the run's start checked the definition against them). */
  reach: ServerReach;
  /** Wall clock, ms (injected so tests can move it). */
  clock?: () => number;
  /** Told of each model call once it is journaled (the engine's metrics); a replayed call is not told again. */
  onModelCall?: (call: { agent: string; usage: { input: number; output: number }; costUsd: number }) => void;
  /** Told when the run's row or journal changed (the live agent view hears of it through the change feed); must not throw or wait. */
  onRunChanged?: (processInstanceId: string) => void;
}

interface ModelStep {
  content: string;
  toolCalls: { id: string; name: string; args: Record<string, unknown> }[];
  usage: { input: number; output: number };
  latencyMs: number;
  costUsd: number;
}

/** Journaled when a tool call became a job: which job, and when it was asked for (its latency counts as the tool's). */
interface ToolJobStep {
  toolCallId: string;
  toolJobKey: string;
  type: string;
  at: number;
}

interface ToolStep {
  toolCallId: string;
  name: string;
  args: Record<string, unknown>;
  status: 'ok' | 'error' | 'refused' | 'declined' | 'chosen';
  result: unknown;
  latencyMs: number;
  reason?: string;
}

export class AgentRunner {
  private cursor = 0;
  private readonly mcp: McpSessions;
  private readonly clock: () => number;
  /** Steps of earlier turns of the same ad-hoc sub-process (read-only history before this job's own steps). */
  private base = 0;
  /** Activities chosen in this attempt, handed to the engine when the model step's calls are done. */
  private readonly chosen: { elementId: string; variables: Record<string, unknown>; toolCallId: string }[] = [];
  private modelCalls = 0;
  /** Steps this attempt journaled: none means a wait it ends in goes on from the attempt before. */
  private recorded = 0;
  private tokens = 0;
  private cost = 0;
  private workMs = 0;

  private constructor(
    private readonly deps: AgentRunDeps,
    private readonly job: AgentJob,
    private readonly stored: StoredDefinition,
    private readonly run: RunRow,
    private readonly journal: StepRow[],
  ) {
    this.clock = deps.clock ?? Date.now;
    this.mcp = new McpSessions(deps.reach);
  }

  static async execute(deps: AgentRunDeps, job: AgentJob, stored: StoredDefinition): Promise<RunOutcome> {
    const run = await deps.repo.runFor(job, stored);
    deps.onRunChanged?.(job.processInstanceId);
    let journal = await deps.repo.steps(job.key);
    let base = 0;
    const adHoc = adHocOf(job);
    if (adHoc) {
      // A later turn of an ad-hoc sub-process continues the conversation of the earlier turns.
      // Its turn marker first: the earlier turns are found from it (earlier-turns.ts).
      if (journal.length === 0) {
        await deps.repo.appendStep(run, 0, 'turn', { scopeKey: adHoc.scopeKey, turn: adHoc.turn });
        journal = await deps.repo.steps(job.key);
      }
      const history = (await deps.repo.adHocHistory(job.key)).filter((s) => s.kind !== 'turn');
      base = history.length;
      journal = [...history, ...journal];
    }
    const runner = new AgentRunner(deps, job, stored, run, journal);
    runner.base = base;
    try {
      const outcome = await runner.loop();
      await runner.finish(outcome);
      return outcome;
    } finally {
      await runner.mcp.close();
    }
  }

  /** The task's variables as the prompt and the policies see them (without the engine's ad-hoc bookkeeping). */
  private get variables(): Record<string, unknown> {
    return processVariables(this.job.variables);
  }

  private get definition(): AgentDefinition {
    return this.stored.definition;
  }

  /** The kind of the model's connection (for the cost estimate); the run's start checked that it exists. */
  private get modelKind() {
    return checkedModelConnection(this.definition.model, this.deps.reach).connection.kind;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  // ------------------------------------------------------------ the journal

  /** The next journaled step if it is of `kind` (replay), else undefined (new work). */
  private replay<T>(kind: string): T | undefined {
    this.skipTurnMarkers();
    const step = this.journal[this.cursor];
    if (!step || step.kind !== kind) return undefined;
    this.cursor++;
    return step.payload as T;
  }

  private skipTurnMarkers(): void {
    while (this.journal[this.cursor]?.kind === 'turn') this.cursor++;
  }

  private async record(kind: string, raw: unknown): Promise<void> {
    // Scrubbed before it is kept, so this attempt and every replay see the same journal (and no secret).
    const payload = scrubStrings(raw);
    this.skipTurnMarkers();
    if (this.cursor !== this.journal.length) throw new Error(`Journal of job ${this.job.key} diverged at step ${this.cursor} (${this.journal[this.cursor].kind}, wanted ${kind})`);
    const step = this.journal.length - this.base;
    await this.deps.repo.appendStep(this.run, step, kind, payload);
    this.deps.onRunChanged?.(this.job.processInstanceId);
    this.journal.push({ job_key: this.job.key, step, run_id: this.run.id, kind, payload, at: new Date() });
    this.cursor++;
    this.recorded++;
  }

  private async audit(type: string, payload: Record<string, unknown>): Promise<void> {
    await this.deps.repo.audit(this.job.processInstanceId, `agent:${this.stored.name}`, type, { runId: this.run.id, jobKey: this.job.key, ...payload }, { elementId: this.job.elementId });
  }

  // ------------------------------------------------------------ the loop

  private async loop(): Promise<RunOutcome> {
    const definition = this.definition;
    const variables = this.variables;
    let prompt = this.replay<{ system: string; prompt: string }>('prompt');
    if (!prompt) {
      prompt = { system: definition.systemPrompt, prompt: renderPrompt(definition.promptTemplate, variables) };
      await this.record('prompt', prompt);
      await this.audit('AGENT_RUN_STARTED', { agent: this.stored.name, version: this.stored.version, model: modelLabel(definition.model), prompt: prompt.prompt });
    }
    const messages: BaseMessage[] = [new SystemMessage(prompt.system), new HumanMessage(prompt.prompt)];
    let repaired = false;
    for (;;) {
      let step = this.replay<ModelStep>('model');
      if (!step) {
        const stop = await this.beforeNewWork();
        if (stop) return stop;
        if (this.modelCalls >= definition.limits.maxModelCalls) return this.limit('maxModelCalls', `${this.modelCalls} model calls made, the limit is ${definition.limits.maxModelCalls}`);
        step = await this.callModel(messages);
      }
      this.modelCalls++;
      this.tokens += step.usage.input + step.usage.output;
      this.cost += step.costUsd;
      this.workMs += step.latencyMs;
      messages.push(new AIMessage({ content: step.content, tool_calls: step.toolCalls.map((c) => ({ ...c, type: 'tool_call' as const })) }));
      const exceeded = this.checkLimits();
      if (exceeded) return exceeded;

      if (step.toolCalls.length > 0) {
        for (const call of step.toolCalls) {
          const result = await this.toolCall(call);
          if ('kind' in result) return result;
          if (result.status === 'chosen') continue;
          messages.push(new ToolMessage({ tool_call_id: call.id, content: toolContent(result) }));
        }
        if (this.chosen.length > 0) {
          await this.audit('AGENT_ACTIVITIES_CHOSEN', { activities: this.chosen });
          return { kind: 'complete', variables: { adHocActivate: this.chosen } };
        }
        continue;
      }

      const parsed = parseJsonReply(step.content);
      const errors = parsed.ok ? outputProblems(definition.output, parsed.value) : [parsed.error];
      if (!parsed.ok || errors.length > 0) {
        if (repaired) {
          return { kind: 'incident', message: `Agent '${this.stored.name}' output does not match its output schema after one repair round: ${errors.join('; ')}` };
        }
        if (!this.replay('repair')) {
          await this.record('repair', { errors });
          await this.audit('AGENT_OUTPUT_INVALID', { errors, repairRound: 1 });
        }
        repaired = true;
        messages.push(new HumanMessage(`Your reply did not validate against the required output schema:\n- ${errors.join('\n- ')}\nReply with only the corrected JSON object.`));
        continue;
      }
      return this.decide(parsed.value as Record<string, unknown>, step.content);
    }
  }

  /** In-flight runs stop at their next step when switched off; wall time is checked before new work too. */
  private async beforeNewWork(): Promise<RunOutcome | null> {
    const disabled = await this.deps.repo.disabledReason(this.stored.name);
    if (disabled) return { kind: 'wait', reason: disabled, until: 'switch' };
    return null;
  }

  private async callModel(messages: BaseMessage[]): Promise<ModelStep> {
    const definition = this.definition;
    const model = this.deps.model(definition);
    const tools = await this.toolSpecs();
    const bound = tools.length > 0 && typeof model.bindTools === 'function' ? model.bindTools(tools as never) : model;
    const started = this.clock();
    // Marked, so the worker can tell a provider's failure (plain words, retry or not: model-failure.ts) from a bug.
    const reply = (await bound.invoke(messages).catch((error: unknown) => Promise.reject(new ModelCallError(error)))) as AIMessage;
    const latencyMs = this.clock() - started;
    const usage = { input: reply.usage_metadata?.input_tokens ?? 0, output: reply.usage_metadata?.output_tokens ?? 0 };
    const step: ModelStep = {
      content: textOf(reply.content),
      toolCalls: (reply.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `call_${this.journal.length}_${i}`, name: c.name, args: (c.args ?? {}) as Record<string, unknown> })),
      usage,
      latencyMs,
      costUsd: costOf(definition.model, this.modelKind, usage),
    };
    await this.record('model', step);
    this.deps.onModelCall?.({ agent: this.stored.name, usage, costUsd: step.costUsd });
    await this.audit('AGENT_MODEL_CALLED', { model: modelLabel(definition.model), content: step.content, toolCalls: step.toolCalls, usage, latencyMs, costUsd: step.costUsd });
    return step;
  }

  /** The tools offered to the model: allowed and needs-approval ones (denied ones are not offered, and refused if called). */
  private async toolSpecs() {
    const seen = new Set<string>();
    const specs = [];
    for (const tool of this.definition.tools) {
      if (tool.policy === 'deny' || seen.has(tool.name)) continue;
      seen.add(tool.name);
      let parameters = tool.parameters ?? { type: 'object', properties: {} };
      let description = tool.description ?? tool.name;
      if (tool.kind === 'mcp') {
        const info = await this.mcp.describe(tool);
        if (info) {
          parameters = info.inputSchema;
          description = tool.description ?? info.description ?? tool.name;
        }
      }
      specs.push({ type: 'function', function: { name: tool.name, description, parameters } });
    }
    for (const activity of this.adHoc?.activities ?? []) {
      const name = activityToolName(activity.elementId);
      if (seen.has(name)) continue;
      const what = activity.kind === 'userTask' ? 'Ask a person' : 'Run the process activity';
      specs.push({
        type: 'function',
        function: { name, description: `${what} "${activity.name}" (${activity.kind}); the arguments become its input variables`, parameters: { type: 'object', properties: {}, additionalProperties: true } },
      });
    }
    return specs;
  }

  private checkLimits(): RunOutcome | null {
    const limits = this.definition.limits;
    if (limits.maxTokens !== undefined && this.tokens > limits.maxTokens) return this.limit('maxTokens', `${this.tokens} tokens used, the limit is ${limits.maxTokens}`);
    if (limits.maxCostUsd !== undefined && this.cost > limits.maxCostUsd) return this.limit('maxCostUsd', `estimated cost $${this.cost.toFixed(4)}, the limit is $${limits.maxCostUsd}`);
    if (limits.wallTimeMs !== undefined && this.workMs > limits.wallTimeMs) return this.limit('wallTimeMs', `${this.workMs} ms spent, the limit is ${limits.wallTimeMs} ms`);
    return null;
  }

  private limit(name: string, detail: string): RunOutcome {
    return { kind: 'incident', message: `Agent '${this.stored.name}' exceeded its limit ${name}: ${detail}` };
  }

  // ------------------------------------------------------------ tools

  private async toolCall(call: ModelStep['toolCalls'][number]): Promise<ToolStep | RunOutcome> {
    const approval = this.replay<{ toolCallId: string; reviewInstanceId: string }>('approval');
    const activityIndex = this.cursor;
    const activity = this.replay<{ toolCallId: string; elementId: string; args: Record<string, unknown> }>('activity');
    if (activity) return this.activityResult(activity, activityIndex >= this.base);
    const asked = this.replay<ToolJobStep>('tool-job');
    const done = this.replay<ToolStep>('tool');
    if (done) {
      this.workMs += done.latencyMs;
      return done;
    }
    if (asked) return this.toolJobResult(call, asked);
    const activityId = this.activityFor(call.name);
    const verdict = activityId && !this.definition.tools.some((t) => t.name === call.name)
      ? ({ verdict: 'allow', tool: { name: call.name, kind: 'worker', policy: 'allow' } } as const)
      : judgeToolCall(this.definition, call.name, call.args, this.variables, this.now());
    if (verdict.verdict === 'refused') {
      const step: ToolStep = { toolCallId: call.id, name: call.name, args: call.args, status: 'refused', result: `Refused by Weft: ${verdict.reason}. Do not call it again.`, latencyMs: 0, reason: verdict.reason };
      await this.record('tool', step);
      await this.audit('AGENT_TOOL_REFUSED', { tool: call.name, args: call.args, reason: verdict.reason });
      return step;
    }
    const stop = await this.beforeNewWork();
    if (stop) return stop;
    if (verdict.verdict === 'needs-approval') {
      if (!approval) {
        const reviewInstanceId = await this.deps.review.request(
          {
            kind: 'tool-approval',
            agent: this.stored.name,
            agentJobKey: this.job.key,
            agentRunId: this.run.id,
            sourceProcessInstanceId: this.job.processInstanceId,
            sourceElementId: this.job.elementId,
            toolCall: redact({ name: call.name, args: call.args }),
          },
          this.definition.review,
        );
        await this.record('approval', { toolCallId: call.id, reviewInstanceId });
        await this.audit('AGENT_APPROVAL_REQUESTED', { tool: call.name, args: call.args, reviewInstanceId });
        return { kind: 'wait', reason: `tool call '${call.name}' waits for approval`, until: 'decision', reviewInstanceId };
      }
      const decision = await this.deps.review.decision(approval.reviewInstanceId);
      if (!decision) return { kind: 'wait', reason: `tool call '${call.name}' waits for approval`, until: 'decision', reviewInstanceId: approval.reviewInstanceId };
      await this.audit('AGENT_APPROVAL_DECIDED', { tool: call.name, approved: decision.approved, comment: decision.comment ?? null, reviewInstanceId: approval.reviewInstanceId });
      if (!decision.approved) {
        const step: ToolStep = { toolCallId: call.id, name: call.name, args: call.args, status: 'declined', result: `A person declined this tool call${decision.comment ? `: ${decision.comment}` : ''}.`, latencyMs: 0 };
        await this.record('tool', step);
        return step;
      }
    }
    if (activityId) {
      const chosen = { toolCallId: call.id, elementId: activityId, args: call.args };
      await this.record('activity', chosen);
      return this.activityResult(chosen, true);
    }
    const tool = verdict.tool as AgentTool;
    if (tool.kind !== 'mcp' && !this.deps.tools.get(tool.workerType!)) return this.askToolJob(tool, call);
    const step = await this.execute(tool, call);
    await this.record('tool', step);
    await this.audit('AGENT_TOOL_CALLED', { tool: call.name, args: call.args, status: step.status, result: step.result, latencyMs: step.latencyMs });
    return step;
  }

  private async execute(tool: AgentTool, call: ModelStep['toolCalls'][number]): Promise<ToolStep> {
    const started = this.clock();
    const base = { toolCallId: call.id, name: call.name, args: call.args };
    try {
      let status: ToolStep['status'] = 'ok';
      let result: unknown;
      if (tool.kind === 'mcp') {
        const r = await this.mcp.call(tool, call.args);
        status = r.isError ? 'error' : 'ok';
        result = r.content;
      } else {
        const handler = this.deps.tools.get(tool.workerType!)!;
        result = await handler(call.args, { idempotencyKey: `${this.job.key}:${call.id}`, processInstanceId: this.job.processInstanceId, agent: this.stored.name, variables: this.variables });
      }
      const latencyMs = this.clock() - started;
      this.workMs += latencyMs;
      return { ...base, status, result: result ?? null, latencyMs };
    } catch (error) {
      const latencyMs = this.clock() - started;
      this.workMs += latencyMs;
      return { ...base, status: 'error', result: `The tool failed: ${(error as Error).message}`, latencyMs };
    }
  }

  // ------------------------------------------------------------ tool calls as jobs

  /**
   * A worker/connector tool call that no in-process handler serves becomes a
   * job of the tool's type, which any worker of that type can do; the run
   * waits for it. The job is asked for before the step is journaled: asking
   * again (a crash in between) names the same job, created once.
   */
  private async askToolJob(tool: AgentTool, call: ModelStep['toolCalls'][number]): Promise<RunOutcome> {
    const headers = { 'weft.agent': this.stored.name, 'weft.tool': call.name, 'weft.toolCallId': call.id, 'weft.idempotencyKey': `${this.job.key}:${call.id}` };
    const { jobKey } = await this.deps.jobs.createToolJob(this.job.key, { toolCallId: call.id, type: tool.workerType!, retries: tool.retries, variables: call.args, headers }, `agent:${this.stored.name}`);
    await this.record('tool-job', { toolCallId: call.id, toolJobKey: jobKey, type: tool.workerType!, at: this.clock() } satisfies ToolJobStep);
    await this.audit('AGENT_TOOL_JOB_CREATED', { tool: call.name, args: call.args, jobType: tool.workerType, toolJobKey: jobKey });
    return this.waitForToolJob(call, jobKey, tool.workerType!);
  }

  /** The tool call's job was asked for in an earlier attempt: its outcome, journaled before the model sees it, or a further wait. */
  private async toolJobResult(call: ModelStep['toolCalls'][number], asked: ToolJobStep): Promise<ToolStep | RunOutcome> {
    const outcome = await this.deps.jobs.toolJobOutcome(this.job.processInstanceId, asked.toolJobKey);
    if (!outcome) {
      // Journaled, but the job is not there (its creation was not committed): ask again; the key is the same.
      await this.deps.jobs.createToolJob(this.job.key, { toolCallId: call.id, type: asked.type, variables: call.args }, `agent:${this.stored.name}`);
      return this.waitForToolJob(call, asked.toolJobKey, asked.type);
    }
    if (outcome.state === 'PENDING') return this.waitForToolJob(call, asked.toolJobKey, asked.type);
    const latencyMs = Math.max(0, this.clock() - asked.at);
    this.workMs += latencyMs;
    const base = { toolCallId: call.id, name: call.name, args: call.args, latencyMs };
    const step: ToolStep =
      outcome.state === 'COMPLETED'
        ? { ...base, status: 'ok', result: outcome.variables }
        : outcome.state === 'FAILED'
          ? { ...base, status: 'error', result: `The tool failed: ${outcome.errorMessage}` }
          : { ...base, status: 'error', result: `The tool reported error '${outcome.errorCode}'${outcome.errorMessage ? `: ${outcome.errorMessage}` : ''}` };
    await this.record('tool', step);
    await this.audit('AGENT_TOOL_CALLED', { tool: call.name, args: call.args, status: step.status, result: step.result, latencyMs, toolJobKey: asked.toolJobKey });
    return step;
  }

  private waitForToolJob(call: ModelStep['toolCalls'][number], toolJobKey: string, type: string): RunOutcome {
    return { kind: 'wait', until: 'tool', reason: `tool call '${call.name}' waits for its job (type '${type}')`, processInstanceId: this.job.processInstanceId, toolJobKey };
  }

  // ------------------------------------------------------------ ad-hoc activities

  private get adHoc() {
    return adHocOf(this.job);
  }

  /** The element id of the ad-hoc activity a tool name stands for. */
  private activityFor(name: string): string | undefined {
    return this.adHoc?.activities.find((a) => activityToolName(a.elementId) === name)?.elementId;
  }

  /**
   * An activity chosen in this job is handed to the engine (it runs as a real
   * BPMN element); one chosen in an earlier turn has finished, and its result
   * comes back to the model as the tool result.
   */
  private activityResult(activity: { toolCallId: string; elementId: string; args: Record<string, unknown> }, ownTurn: boolean): ToolStep {
    const base = { toolCallId: activity.toolCallId, name: activityToolName(activity.elementId), args: activity.args, latencyMs: 0 };
    if (ownTurn) {
      // The model's arguments arrive under one local, `toolCall` (as Camunda 8's AI agent passes them), so they can never stand in for a process variable of the same name.
      this.chosen.push({ elementId: activity.elementId, variables: { toolCall: activity.args }, toolCallId: activity.toolCallId });
      return { ...base, status: 'chosen', result: null };
    }
    const found = this.adHoc?.results.find((r) => r.toolCallId === activity.toolCallId);
    return { ...base, status: 'ok', result: found ? found.variables : 'The activity finished without returning variables.' };
  }

  // ------------------------------------------------------------ the output

  private async decide(output: Record<string, unknown>, content: string): Promise<RunOutcome> {
    const definition = this.definition;
    const confidence = confidenceOf(definition, output);
    // A review whose decision was refused is asked again: the last one requested counts.
    let reviewStep: { reviewInstanceId: string; reason: string } | undefined;
    for (let step; (step = this.replay<{ reviewInstanceId: string; reason: string }>('review')); ) reviewStep = step;
    const journaled = this.replay<{ decision: string; output: Record<string, unknown>; reason: string; errorCode?: string }>('decision');
    if (journaled) {
      if (journaled.errorCode) return { kind: 'bpmn-error', errorCode: journaled.errorCode, message: `Agent '${this.stored.name}' output rejected: ${journaled.reason}`, variables: this.result(journaled.output, confidence, journaled.decision) };
      return { kind: 'complete', variables: this.result(journaled.output, confidence, journaled.decision) };
    }
    if (reviewStep) return this.reviewed(output, confidence, content, reviewStep);

    const decision = decideOutput(definition, output, this.variables, this.now());
    if (decision.decision === 'error') return { kind: 'incident', message: `Agent '${this.stored.name}': ${decision.reason}` };
    if (decision.decision === 'reject') return this.reject(output, confidence, decision);
    if (decision.decision === 'review') return this.requestReview(output, confidence, content, decision.reason);
    await this.record('decision', { decision: 'proceed', output, reason: decision.reason });
    await this.audit('AGENT_POLICY_DECISION', { decision: 'proceed', reason: decision.reason, confidence, output });
    return { kind: 'complete', variables: this.result(output, confidence, 'proceed') };
  }

  private async reject(output: Record<string, unknown>, confidence: number | null, decision: { reason: string; errorCode: string }, extra: Record<string, unknown> = {}): Promise<RunOutcome> {
    const { reason, errorCode } = decision;
    await this.record('decision', { decision: 'reject', output, reason, errorCode });
    await this.audit('AGENT_POLICY_DECISION', { decision: 'reject', reason, errorCode, output, ...extra });
    return { kind: 'bpmn-error', errorCode, message: `Agent '${this.stored.name}' output rejected: ${reason}`, variables: this.result(output, confidence, 'reject') };
  }

  /** Starts a review of the model's output and waits; `problems` say why a reviewer's earlier decision was refused. */
  private async requestReview(output: Record<string, unknown>, confidence: number | null, content: string, reason: string, problems?: string[]): Promise<RunOutcome> {
    const stop = await this.beforeNewWork();
    if (stop) return stop;
    const reviewInstanceId = await this.deps.review.request(
      {
        kind: 'output-review',
        agent: this.stored.name,
        agentJobKey: this.job.key,
        agentRunId: this.run.id,
        sourceProcessInstanceId: this.job.processInstanceId,
        sourceElementId: this.job.elementId,
        reason,
        proposal: output,
        output,
        confidence,
        reasoning: typeof output.reasoning === 'string' ? output.reasoning : content,
        evidence: redact(this.evidence()),
        ...(problems ? { problems } : {}),
      },
      this.definition.review,
    );
    await this.record('review', { reviewInstanceId, reason });
    await this.audit('AGENT_REVIEW_REQUESTED', { reason, confidence, reviewInstanceId, output });
    return { kind: 'wait', reason: `output waits for review (${reason})`, until: 'decision', reviewInstanceId };
  }

  /**
   * The review was requested earlier: wait for it, or apply the person's
   * decision (approve, approve with edits, reject). What the person approves
   * is checked like the model's output (a JSON object, the output schema, the
   * policies with `review` satisfied by the approval). The task API refuses an
   * invalid decision already (review-completion.ts); one that came another
   * way is never taken: the review is asked again, saying why.
   */
  private async reviewed(output: Record<string, unknown>, confidence: number | null, content: string, review: { reviewInstanceId: string; reason: string }): Promise<RunOutcome> {
    const verdict = await this.deps.review.decision(review.reviewInstanceId);
    if (!verdict) return { kind: 'wait', reason: `output waits for review (${review.reason})`, until: 'decision', reviewInstanceId: review.reviewInstanceId };
    const errorCode = this.definition.review.rejectErrorCode;
    if (!verdict.approved) {
      const reason = verdict.comment ?? 'rejected by a reviewer';
      await this.record('decision', { decision: 'review-rejected', output, reason, errorCode });
      await this.audit('AGENT_POLICY_DECISION', { decision: 'review-rejected', reason, errorCode, reviewInstanceId: review.reviewInstanceId });
      return { kind: 'bpmn-error', errorCode, message: `A reviewer rejected the output of agent '${this.stored.name}': ${reason}`, variables: this.result(output, confidence, 'review-rejected') };
    }
    const approved = verdict.output === undefined ? output : verdict.output;
    const problems = outputProblems(this.definition.output, approved);
    if (problems.length > 0) {
      await this.audit('AGENT_OUTPUT_INVALID', { errors: problems, reviewInstanceId: review.reviewInstanceId, reviewed: true });
      return this.requestReview(output, confidence, content, `the reviewed output was refused: ${problems.join('; ')}`, problems);
    }
    const final = approved as Record<string, unknown>;
    const finalConfidence = confidenceOf(this.definition, final) ?? confidence;
    const policy = decideOutput(this.definition, final, this.variables, this.now(), { reviewed: true });
    if (policy.decision === 'error') return { kind: 'incident', message: `Agent '${this.stored.name}': ${policy.reason} (on the output a reviewer approved)` };
    if (policy.decision === 'reject') return this.reject(final, finalConfidence, policy, { reviewInstanceId: review.reviewInstanceId });
    // Compared as values: the review instance's copy comes back from jsonb with its keys reordered.
    const decision = isDeepStrictEqual(final, output) ? 'reviewed-approved' : 'reviewed-edited';
    await this.record('decision', { decision, output: final, reason: review.reason });
    await this.audit('AGENT_POLICY_DECISION', { decision, reviewInstanceId: review.reviewInstanceId, comment: verdict.comment ?? null, output: final });
    return { kind: 'complete', variables: this.result(final, finalConfidence, decision) };
  }

  /** What the job completes with: one variable (task header `resultVariable`, default `agentResult`). */
  private result(output: Record<string, unknown>, confidence: number | null, decision: string): Record<string, unknown> {
    const name = this.job.headers.resultVariable || 'agentResult';
    const result = { [name]: { output, confidence, decision, runId: this.run.id, agent: this.stored.name, version: this.stored.version } };
    return this.adHoc ? { ...result, adHocDone: true } : result;
  }

  private evidence() {
    return this.journal.filter((s) => s.kind === 'tool').map((s) => ({ tool: s.payload.name, args: s.payload.args, status: s.payload.status, result: s.payload.result }));
  }

  /**
   * Records what the attempt produced. The run's state follows its job: a
   * wait is WAITING from here, but COMPLETED, FAILED and REJECTED are
   * written by the engine in the transaction that ends the job
   * (engine/persistence/agent-run-states.ts), so the run never says it ended
   * before its job did, nor stays RUNNING once it has.
   */
  private async finish(outcome: RunOutcome): Promise<void> {
    await this.deps.repo.updateRun(this.run.id, {
      ...(outcome.kind === 'wait' ? { status: 'WAITING', error: outcome.reason, wait: this.waitOf(outcome) } : {}),
      ...(outcome.kind === 'complete' ? { output: outcome.variables } : {}),
      ...(outcome.kind === 'incident' ? { error: outcome.message } : {}),
      ...(outcome.kind === 'bpmn-error' ? { error: outcome.message, decision: outcome.errorCode } : {}),
    });
    this.deps.onRunChanged?.(this.job.processInstanceId);
    if (outcome.kind === 'incident') await this.audit('AGENT_RUN_FAILED', { message: outcome.message });
    if (outcome.kind === 'complete') await this.audit('AGENT_RUN_COMPLETED', { modelCalls: this.modelCalls, tokens: this.tokens, costUsd: this.cost });
    // Waiting is audited once per wait, not on every poll.
    if (outcome.kind === 'wait' && !(this.run.status === 'WAITING' && this.run.error === outcome.reason)) await this.audit('AGENT_RUN_WAITING', { reason: outcome.reason });
  }

  /**
   * What a wait is for, as the live agent view shows it: the person's request or the tool job it waits on.
   * It goes on from the attempt before (`this.run` is the row as this attempt found it) when that waited
   * for the same thing and this attempt journaled nothing: a re-check, not a new wait.
   */
  private waitOf(outcome: Extract<RunOutcome, { kind: 'wait' }>): RunWait {
    const wait: RunWait = outcome.until === 'tool' ? { until: 'tool', ref: outcome.toolJobKey } : outcome.until === 'decision' ? { until: 'decision', ref: outcome.reviewInstanceId } : { until: 'switch' };
    const before = this.run;
    const continued = this.recorded === 0 && before.status === 'WAITING' && before.waiting_for === wait.until && (before.waiting_ref ?? undefined) === wait.ref;
    return continued ? { ...wait, continued } : wait;
  }
}

function toolContent(step: ToolStep): string {
  const body = typeof step.result === 'string' ? step.result : JSON.stringify(step.result);
  return step.status === 'error' ? `Error: ${body}` : body;
}

interface AdHocContext {
  scopeKey: string;
  turn: number;
  activities: { elementId: string; name: string; kind: string }[];
  results: { elementId: string; toolCallId?: string; turn: number; variables: Record<string, unknown> }[];
}

/** The engine's ad-hoc context of a job (an agent on an ad-hoc sub-process), if any. */
function adHocOf(job: AgentJob): AdHocContext | undefined {
  const context = job.variables.weftAdHoc as AdHocContext | undefined;
  return context && typeof context === 'object' && typeof context.scopeKey === 'string' ? context : undefined;
}

/** Tool names allow letters, digits, _ and - only. */
export function activityToolName(elementId: string): string {
  return elementId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** A reply's text: a string, or the text blocks of a content array (Anthropic). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((block) => (typeof block === 'string' ? block : block && typeof block === 'object' && (block as { type?: string }).type === 'text' ? String((block as { text?: unknown }).text ?? '') : '')).join('');
  }
  return JSON.stringify(content ?? '');
}
