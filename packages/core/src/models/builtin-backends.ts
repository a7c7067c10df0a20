import type { BackendDefinition } from './backend-registry.js';
import { MemoryVectorStore } from './memory-vector-store.js';
import { mockEmbeddingBackend, mockLlmBackend } from './mock-backends.js';
import { OpenAiCompatibleEmbedding } from './openai-compatible-embedding.js';
import { OpenAiCompatibleLlm, type OpenAiCompatibleSettings } from './openai-compatible-llm.js';

const connection = {
  api_key: { type: 'string', description: 'the API key; default from the environment' },
  base_url: { type: 'string', description: 'the API base URL; default from the environment' },
} as const;

/** Says which setting is missing when an entry has no API key in config or environment. */
function missingKey(variable: string) {
  return (entry: Record<string, unknown>, env: Record<string, string | undefined>) =>
    entry.api_key || env[variable] ? undefined : `no API key: set ${variable} or the entry's api_key`;
}

/** `openai_compatible` chat: key and base URL from config or FLOW_LLM_API_KEY / FLOW_LLM_BASE_URL. */
export const openAiCompatibleLlmBackend: BackendDefinition<'llm'> = {
  kind: 'llm',
  name: 'openai_compatible',
  keys: connection,
  missingCredentials: missingKey('FLOW_LLM_API_KEY'),
  create: (entry, { env }) =>
    new OpenAiCompatibleLlm({
      ...(entry as unknown as OpenAiCompatibleSettings),
      api_key: (entry.api_key as string | undefined) ?? env.FLOW_LLM_API_KEY,
      base_url: (entry.base_url as string | undefined) ?? env.FLOW_LLM_BASE_URL,
    }),
};

/** `openai_compatible` embeddings: FLOW_EMBEDDING_API_KEY / FLOW_EMBEDDING_BASE_URL. */
export const openAiCompatibleEmbeddingBackend: BackendDefinition<'embedding_model'> = {
  kind: 'embedding_model',
  name: 'openai_compatible',
  keys: { ...connection, dimensions: { type: 'integer', min: 1 } },
  missingCredentials: missingKey('FLOW_EMBEDDING_API_KEY'),
  create: (entry, { env }) =>
    new OpenAiCompatibleEmbedding({
      model_name: String(entry.model_name),
      params: entry.params as Record<string, unknown>,
      dimensions: entry.dimensions as number | undefined,
      api_key: (entry.api_key as string | undefined) ?? env.FLOW_EMBEDDING_API_KEY,
      base_url: (entry.base_url as string | undefined) ?? env.FLOW_EMBEDDING_BASE_URL,
    }),
};

/** FlowLLM's in-memory vector store. */
export const memoryVectorStoreBackend: BackendDefinition<'vector_store'> = {
  kind: 'vector_store',
  name: 'memory',
  keys: {},
  create: (entry, { embeddingModel }) => new MemoryVectorStore(embeddingModel(String(entry.embedding_model))),
};

/** Every backend an app knows without extra packages. */
export const BUILTIN_BACKENDS: BackendDefinition[] = [
  mockLlmBackend,
  mockEmbeddingBackend,
  openAiCompatibleLlmBackend,
  openAiCompatibleEmbeddingBackend,
  memoryVectorStoreBackend,
];
