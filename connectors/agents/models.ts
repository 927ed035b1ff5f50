/**
 * The provider factory: an agent definition's `model` → a LangChain chat
 * model. Keys come from the environment only (OPENAI_API_KEY,
 * ANTHROPIC_API_KEY); they are never read from variables and never written to
 * the journal, the logs or the audit.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOllama } from '@langchain/ollama';
import type { AgentDefinition } from './definition.js';

export type ModelFactory = (model: AgentDefinition['model'], agentName: string) => BaseChatModel;

export const createChatModel: ModelFactory = (model) => {
  switch (model.provider) {
    case 'openai':
      return new ChatOpenAI({
        model: model.model,
        temperature: model.temperature,
        // An OpenAI-compatible server without keys still needs a non-empty one in the client.
        apiKey: process.env.OPENAI_API_KEY ?? (model.baseUrl ? 'not-needed' : undefined),
        configuration: model.baseUrl ? { baseURL: model.baseUrl } : undefined,
        maxRetries: 1,
      });
    case 'anthropic':
      return new ChatAnthropic({ model: model.model, temperature: model.temperature, apiKey: process.env.ANTHROPIC_API_KEY, maxRetries: 1 });
    case 'ollama':
      return new ChatOllama({ model: model.model, temperature: model.temperature, baseUrl: model.baseUrl ?? process.env.OLLAMA_BASE_URL });
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

/** Estimated cost in USD of one call: the definition's pricing, else the list price of the model, else 0. */
export function costOf(model: AgentDefinition['model'], usage: { input: number; output: number }): number {
  let pricing = model.pricing;
  if (!pricing && model.provider !== 'ollama') {
    const listed = LIST_PRICES.find(([prefix]) => model.model.startsWith(prefix));
    if (listed) pricing = { inputPerMTok: listed[1], outputPerMTok: listed[2] };
  }
  if (!pricing) return 0;
  return (usage.input * pricing.inputPerMTok + usage.output * pricing.outputPerMTok) / 1_000_000;
}
