/**
 * `defineConnector({...})`: a connector is a job type (or several), a zod
 * object of inputs, the modeler form for them, and `run(input, ctx)`.
 *
 *   export const greeter = defineConnector({
 *     type: 'greet', name: 'Greeter', version: 1, description: 'Says hello',
 *     inputs: z.object({ name: z.string().min(1) }),
 *     fields: { name: { label: 'Name', feel: 'optional' } },
 *     run: async ({ name }) => ({ greeting: `Hello, ${name}` }),
 *   });
 *
 * The SDK (connector-handler.ts) gathers the inputs from the job, resolves
 * `{{secrets.NAME}}`, validates, runs, and applies Camunda's connector
 * headers (resultVariable, resultExpression, errorExpression, retryBackoff).
 */
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { JobContext } from '../../engine/worker/create-worker.js';
import type { ElementTemplate } from '../../engine/features/modeler/element-templates.js';
import { elementTemplateOf } from './element-template.js';

/** How one input appears in the element template (the modeler's form). */
export interface InputField {
  label: string;
  description?: string;
  /** A group id of the connector's `groups`. */
  group?: string;
  /** Where the value is written: a `zeebe:input` (default, read from the job's variables) or a `zeebe:taskHeader`. */
  binding?: 'input' | 'header';
  /** Element-template field type; Dropdown when `choices` are given, else String. */
  type?: 'String' | 'Text' | 'Dropdown' | 'Boolean' | 'Number' | 'Hidden';
  /** May the value be FEEL (`optional`), must it be (`required`), or neither (absent). */
  feel?: 'optional' | 'required' | 'static';
  /** May be left empty (default false: the form asks for it). */
  optional?: boolean;
  choices?: { name: string; value: string }[];
  /** The value a new task starts with. */
  value?: string | number | boolean;
  /** Masked in the form; hints that a `{{secrets.NAME}}` belongs here. */
  secret?: boolean;
  placeholder?: string;
  /** Shown only when another field (by its dotted path) has one of these values. */
  when?: { field: string; equals?: string; oneOf?: string[] };
}

export interface ConnectorContext {
  /** Stable across attempts of one job (the job key): send it as an idempotency key to side-effecting APIs. */
  idempotencyKey: string;
  job: JobContext;
  /** Aborted when the job's time with this worker runs out or the worker closes. */
  signal: AbortSignal;
  /** Weft's redacting logger, bound to the job. */
  logger: Logger;
}

export interface ConnectorSpec<S extends z.ZodObject> {
  /** The job type (zeebe:taskDefinition type) the template writes. */
  type: string;
  /** Further job types this connector serves (e.g. Camunda's `io.camunda:http-json:1`). */
  aliases?: string[];
  name: string;
  version: number;
  description: string;
  /** Top-level keys are the inputs; dotted template fields (`authentication.type`) arrive nested. */
  inputs: S;
  /** The form: one entry per input, keyed by its dotted path (`authentication.token`). */
  fields: Record<string, InputField>;
  groups?: { id: string; label: string }[];
  /** Template id (default `io.weft.connectors.<type>`). */
  templateId?: string;
  /** How long one attempt may hold the job (default 60 s); past it the engine hands the job to another worker. */
  timeoutMs?: number;
  run(input: z.infer<S>, ctx: ConnectorContext): Promise<unknown> | unknown;
}

export interface Connector<S extends z.ZodObject = z.ZodObject> extends ConnectorSpec<S> {
  /** Every job type it serves: `type` then the aliases. */
  readonly types: string[];
  /** Its Camunda 8 element template. */
  elementTemplate(): ElementTemplate;
}

export function defineConnector<S extends z.ZodObject>(spec: ConnectorSpec<S>): Connector<S> {
  const connector: Connector<S> = {
    ...spec,
    types: [spec.type, ...(spec.aliases ?? [])],
    elementTemplate: () => elementTemplateOf(connector),
  };
  return connector;
}
