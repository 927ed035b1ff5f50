/**
 * Agent definitions: the `*.agent.json` files deployed beside the diagrams.
 * Validated with zod; a problem names the field (`tools.0.policy`) so the
 * deployment's 422 says exactly what to fix. FEEL in `when` conditions is
 * checked at deploy: its syntax, like the diagrams' expressions, and the
 * names it reads (condition-scope.ts: `args.x` / `output.x` for what the
 * model produced, `variables.x` for the process, never a bare `x`).
 */
import { z } from 'zod';
import { feelSyntaxError, stripEquals } from '../../engine/model/feel-check.js';
import type { ModelProblem } from '../../engine/model/types.js';
import { conditionProblems, POLICY_SCOPE, TOOL_CONDITION_SCOPE, type ConditionScope } from './condition-scope.js';

const feel = z.string().min(1);

/**
 * The MCP server of a tool: a connection an administrator configured (the
 * usual form), or inline: a command to start (stdio) or a URL. The inline
 * forms are refused unless an administrator allowed them (definition-reach.ts).
 */
const mcpServer = z.union([
  z.object({ connection: z.string().min(1) }).strict(),
  z.object({ command: z.string().min(1), args: z.array(z.string()).default([]), env: z.record(z.string(), z.string()).optional() }).strict(),
  z.object({ url: z.url() }).strict(),
]);

export const toolSchema = z
  .object({
    /** The name the model sees and calls. */
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (at most 64)'),
    description: z.string().optional(),
    kind: z.enum(['worker', 'connector', 'mcp']),
    /** worker / connector: the job type that does the tool: a job any worker of that type can do, or an in-process handler (tool-registry.ts). */
    workerType: z.string().min(1).max(200).optional(),
    /** worker / connector: the retries of the tool's job (default 3); out of retries, the model is told the tool failed. */
    retries: z.number().int().min(0).max(100).optional(),
    /** mcp: the server to reach. */
    mcp: mcpServer.optional(),
    /** mcp: the tool's name on the server (default: `name`). */
    toolName: z.string().min(1).optional(),
    /** JSON Schema of the arguments (worker/connector; MCP servers describe their own). */
    parameters: z.record(z.string(), z.unknown()).optional(),
    policy: z.enum(['allow', 'needs-approval', 'deny']),
    /** FEEL over `args` (the model's arguments) and `variables` (the process's): this entry applies only when it holds. */
    when: feel.optional(),
  })
  .strict()
  .superRefine((tool, ctx) => {
    if ((tool.kind === 'worker' || tool.kind === 'connector') && !tool.workerType) {
      ctx.addIssue({ code: 'custom', path: ['workerType'], message: `a ${tool.kind} tool needs workerType` });
    }
    // The agent queue's jobs are the governed agent worker's alone (issue #8): a tool may not be one.
    if (tool.workerType && (tool.workerType === 'agent' || tool.workerType.startsWith('agent:'))) {
      ctx.addIssue({ code: 'custom', path: ['workerType'], message: `'${tool.workerType}' is the agent queue's job type; a tool names the type of the worker or connector that does it` });
    }
    if (tool.kind === 'mcp' && !tool.mcp) ctx.addIssue({ code: 'custom', path: ['mcp'], message: 'an mcp tool needs mcp: {connection} (an MCP server the administrator configured)' });
  });

export const agentDefinitionSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and - only'),
    description: z.string().optional(),
    model: z
      .object({
        /** The named connection (server configuration: endpoint and credentials) the model is reached through. */
        connection: z.string().min(1).optional(),
        /** Without `connection`: the connection named like the provider (`openai`, `anthropic`, `ollama`). */
        provider: z.enum(['openai', 'anthropic', 'ollama']).optional(),
        model: z.string().min(1),
        temperature: z.number().min(0).max(2).default(0),
        /**
         * Refused (definition-reach.ts says why and what to name instead); in the
         * schema only so that the refusal, and a definition stored before it, can say so.
         */
        baseUrl: z.unknown().optional(),
        /** USD per million tokens, for the cost estimate and the maxCostUsd limit. */
        pricing: z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }).strict().optional(),
      })
      .strict()
      .refine((m) => m.connection || m.provider, { path: ['connection'], message: 'name the connection the model is reached through (or a provider: openai, anthropic, ollama)' }),
    systemPrompt: z.string().min(1),
    /** `{{name}}` / `{{a.b}}` placeholders over the task's variables. */
    promptTemplate: z.string().min(1),
    tools: z.array(toolSchema).default([]),
    /** JSON Schema the final output must satisfy. */
    output: z.record(z.string(), z.unknown()).optional(),
    confidence: z.object({ field: z.string().min(1), threshold: z.number().min(0).max(1) }).strict().optional(),
    limits: z
      .object({
        maxModelCalls: z.number().int().positive().default(10),
        maxTokens: z.number().int().positive().optional(),
        wallTimeMs: z.number().int().positive().optional(),
        maxCostUsd: z.number().positive().optional(),
      })
      .strict()
      .default({ maxModelCalls: 10 }),
    policies: z
      .array(
        z
          .object({
            when: feel,
            decision: z.enum(['proceed', 'review', 'reject']),
            errorCode: z.string().min(1).optional(),
            reason: z.string().optional(),
          })
          .strict()
          .refine((p) => p.decision !== 'reject' || p.errorCode, { message: 'a reject policy needs errorCode', path: ['errorCode'] }),
      )
      .default([]),
    review: z
      .object({
        candidateGroups: z.array(z.string().min(1)).default([]),
        dueInHours: z.number().positive().optional(),
        /** BPMN error thrown when a reviewer rejects the proposal. */
        rejectErrorCode: z.string().min(1).default('AGENT_REVIEW_REJECTED'),
      })
      .strict()
      .default({ candidateGroups: [], rejectErrorCode: 'AGENT_REVIEW_REJECTED' }),
  })
  .strict();

export type AgentDefinition = z.infer<typeof agentDefinitionSchema>;
export type AgentTool = z.infer<typeof toolSchema>;

/** How the audit and the transcript name the model: `<connection>:<model>` (the provider's name for a default connection). */
export function modelLabel(model: AgentDefinition['model']): string {
  return `${model.connection ?? model.provider}:${model.model}`;
}

/**
 * The problems of a definition's conditions (`tools.N.when`, `policies.N.when`):
 * invalid FEEL, or a bare name that could be the model's or the process's.
 * Asked at deploy, and again before a run of a definition stored before the
 * rule existed: a bare name evaluates to null with a warning, which in a
 * comparison is just `false`, so such a condition would pass silently.
 */
export function conditionFieldProblems(definition: AgentDefinition, file: string): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const checkFeel = (expression: string, field: string, scope: ConditionScope) => {
    const error = feelSyntaxError(stripEquals(expression));
    if (error) return problems.push({ file, field, message: `${field}: invalid FEEL: ${error} (expression: ${expression})` });
    for (const message of conditionProblems(stripEquals(expression), scope)) problems.push({ file, field, message: `${field}: ${message} (expression: ${expression})` });
  };
  definition.tools.forEach((tool, i) => tool.when && checkFeel(tool.when, `tools.${i}.when`, TOOL_CONDITION_SCOPE));
  definition.policies.forEach((policy, i) => checkFeel(policy.when, `policies.${i}.when`, POLICY_SCOPE));
  return problems;
}

export type ParseResult = { ok: true; definition: AgentDefinition } | { ok: false; problems: ModelProblem[] };

/** Parses and validates one `.agent.json`; every problem names its field. */
export function parseAgentDefinition(file: string, content: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    return { ok: false, problems: [{ file, message: `Not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = agentDefinitionSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const field = issue.path.join('.') || undefined;
        return { file, field, message: `${field ?? 'definition'}: ${issue.message}` };
      }),
    };
  }
  const problems = conditionFieldProblems(parsed.data, file);
  if (parsed.data.confidence && parsed.data.output) {
    const properties = (parsed.data.output as { properties?: Record<string, unknown> }).properties ?? {};
    if (!(parsed.data.confidence.field in properties)) {
      problems.push({ file, field: 'confidence.field', message: `confidence.field: '${parsed.data.confidence.field}' is not a property of the output schema` });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, definition: parsed.data };
}
