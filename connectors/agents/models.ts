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

/** Estimated cost in USD of one call, from the definition's pricing (0 when none is given). */
export function costOf(model: AgentDefinition['model'], usage: { input: number; output: number }): number {
  if (!model.pricing) return 0;
  return (usage.input * model.pricing.inputPerMTok + usage.output * model.pricing.outputPerMTok) / 1_000_000;
}
