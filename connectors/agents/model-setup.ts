/**
 * Is the model an agent definition asks for configured on this server? A
 * definition names a connection (or a provider, meaning the connection of
 * that name); the connection refers to environment variables for its key
 * (`{{env.OPENAI_API_KEY}}`). Until the connection exists and every variable
 * it refers to is set, no run of the agent can call its model.
 *
 * Said at three moments, in the same plain words: once when the engine
 * starts (which deployed agents cannot run), as a warning when a diagram or
 * definition is deployed, and as the incident of a run, before anything is
 * sent anywhere (not after a provider's error and a round of retries).
 *
 * Only variable NAMES are read into messages, never their values. Pure
 * given the environment (passed in).
 */
import { ENV_REFERENCE, type Connection, type ModelProviderKind } from '../../engine/connections/connection-schema.js';
import type { ServerReach } from '../../engine/connections/server-reach.js';
import type { AgentDefinition } from './definition.js';

export interface ModelSetupGap {
  agent: string;
  /** The connection the definition reaches its model through. */
  connection: string;
  /** The provider kind, when the connection exists (else what the definition says). */
  provider: ModelProviderKind | null;
  model: string;
  /** What an administrator sets: environment variable names, or the connections settings. */
  settings: string[];
  /** The definition's field that names the connection. */
  field: 'model.connection' | 'model.provider';
  /** One sentence: what the agent asks for, what is missing, what to set. */
  message: string;
}

/** Where connections are configured (engine/connections/load-connections.ts). */
const CONNECTION_SETTINGS = ['WEFT_CONNECTIONS', 'WEFT_CONNECTIONS_FILE'];

/** The gap between what the definition asks for and what the server has, or null when its model can be called. */
export function modelSetupGap(definition: Pick<AgentDefinition, 'name' | 'model'>, reach: ServerReach, env: NodeJS.ProcessEnv = process.env): ModelSetupGap | null {
  const { model } = definition;
  const field = model.connection ? 'model.connection' : 'model.provider';
  const name = model.connection ?? model.provider ?? '';
  const connection: Connection | undefined = Object.hasOwn(reach.connections, name) ? reach.connections[name] : undefined;
  const asks = `Agent '${definition.name}' asks for model ${model.model} through connection '${name}'`;
  if (!connection || connection.kind === 'mcp' || connection.kind === 'a2a') {
    return {
      agent: definition.name,
      connection: name,
      provider: model.provider ?? null,
      model: model.model,
      settings: CONNECTION_SETTINGS,
      field,
      message: `${asks}, but this server has no model connection of that name. An administrator adds it to WEFT_CONNECTIONS (or the file named by WEFT_CONNECTIONS_FILE) and restarts Weft, or the definition names a configured connection in ${field}.`,
    };
  }
  const missing = referencedVariables(connection).filter((variable) => !env[variable]);
  if (missing.length === 0) return null;
  const variables = missing.length === 1 ? `the environment variable ${missing[0]}` : `the environment variables ${missing.join(' and ')}`;
  return {
    agent: definition.name,
    connection: name,
    provider: connection.kind,
    model: model.model,
    settings: missing,
    field,
    message: `${asks} (${connection.kind}), which needs ${variables} for its credentials; ${missing.length === 1 ? 'it is' : 'they are'} not set on this server. Set ${missing.join(' and ')} and restart Weft (or name another configured connection in the definition's ${field}), then retry.`,
  };
}

/** The variables one connection refers to (`{{env.NAME}}` anywhere in it), in order of appearance. */
function referencedVariables(connection: Connection): string[] {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') for (const match of value.matchAll(new RegExp(ENV_REFERENCE.source, 'g'))) names.add(match[1]);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(connection);
  return [...names];
}
