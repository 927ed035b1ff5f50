/**
 * The provider factory: an agent definition's `model` and the connection it
 * names (engine/connections) → a LangChain chat model. The endpoint and the
 * key come from the connection, the key read from the environment variable
 * it refers to only now; they are never read from variables and never
 * written to the journal, the logs or the audit.
 *
 * Every client gets its endpoint and key explicitly: left unset, the
 * LangChain and provider clients fill them from the process environment
 * (OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, OLLAMA_BASE_URL,
 * LangSmith's gateway key), so a connection configured without a key for a
 * local server would still carry the official key to it.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOllama } from '@langchain/ollama';
import type { ModelConnection, ModelProviderKind } from '../../engine/connections/connection-schema.js';
import { resolveRecord, resolveReferences } from '../../engine/connections/env-references.js';
import { OFFICIAL_BASE_URLS } from '../../engine/connections/load-connections.js';
import type { AgentDefinition } from './definition.js';

export interface NamedConnection {
  name: string;
  connection: ModelConnection;
}

export type ModelFactory = (model: AgentDefinition['model'], agentName: string, connection: NamedConnection) => BaseChatModel;

/** A server that needs no key still needs a non-empty one in the OpenAI and Anthropic clients. */
const NO_KEY = 'not-needed';

export const createChatModel: ModelFactory = (model, _agentName, { name, connection }) => {
  const baseUrl = connection.baseUrl ?? OFFICIAL_BASE_URLS[connection.kind];
  switch (connection.kind) {
    case 'openai':
    case 'anthropic': {
      const apiKey = connection.credentials ? resolveReferences(connection.credentials.apiKey, { connection: name, field: 'credentials.apiKey' }) : NO_KEY;
      if (connection.kind === 'openai') return new ChatOpenAI({ model: model.model, temperature: model.temperature, apiKey, configuration: { baseURL: baseUrl }, maxRetries: 1 });
      return new ChatAnthropic({ model: model.model, temperature: model.temperature, apiKey, anthropicApiUrl: baseUrl, maxRetries: 1 });
    }
    case 'ollama':
      return new ChatOllama({ model: model.model, temperature: model.temperature, baseUrl, headers: resolveRecord(connection.credentials?.headers, { connection: name, field: 'credentials.headers' }) });
  }
};

/**
 * List prices in USD per million tokens (input, output) for common models, used
 * when a definition gives no `pricing`. Estimates: check your provider's
 * current prices and put them in the definition when cost limits matter.
 * Local models (Ollama) cost nothing here.
 */
const LIST_PRICES: [prefix: string, input: number, output: number][] = [
  ['gpt-4o-mini', 0.15, 0.6],
  ['gpt-4o', 2.5, 10],
  ['gpt-4.1-nano', 0.1, 0.4],
  ['gpt-4.1-mini', 0.4, 1.6],
  ['gpt-4.1', 2, 8],
  ['claude-3-5-haiku', 0.8, 4],
  ['claude-haiku-4', 1, 5],
  ['claude-sonnet-4', 3, 15],
  ['claude-3-7-sonnet', 3, 15],
  ['claude-opus-4', 15, 75],
];

/** Estimated cost in USD of one call: the definition's pricing, else the list price of the model (not for a local Ollama), else 0. */
export function costOf(model: AgentDefinition['model'], kind: ModelProviderKind, usage: { input: number; output: number }): number {
  let pricing = model.pricing;
  if (!pricing && kind !== 'ollama') {
    const listed = LIST_PRICES.find(([prefix]) => model.model.startsWith(prefix));
    if (listed) pricing = { inputPerMTok: listed[1], outputPerMTok: listed[2] };
  }
  if (!pricing) return 0;
  return (usage.input * pricing.inputPerMTok + usage.output * pricing.outputPerMTok) / 1_000_000;
}
