import type { BackendKeys } from '../config/field-spec.js';
import { AnthropicLlm, type AnthropicSettings } from './anthropic-llm.js';
import type { BackendDefinition } from './backend-registry.js';
import { LocalVectorStore } from './local-vector-store.js';
import { MemoryVectorStore } from './memory-vector-store.js';
import { mockEmbeddingBackend, mockLlmBackend } from './mock-backends.js';
import {
  OpenAiCompatibleEmbedding,
  type OpenAiCompatibleEmbeddingSettings,
} from './openai-compatible-embedding.js';
import { OpenAiCompatibleLlm, type OpenAiCompatibleSettings } from './openai-compatible-llm.js';
import { RETRY_KEYS } from './upstream-call.js';

const connection = {
  api_key: { type: 'string', description: 'the API key; default from the environment' },
  base_url: { type: 'string', description: 'the API base URL; default from the environment' },
  ...RETRY_KEYS,
} as const satisfies BackendKeys;

/** Says which setting is missing when an entry has no API key in config or environment. */
function missingKey(variable: string) {
  return (entry: Record<string, unknown>, env: Record<string, string | undefined>) =>
    entry.api_key || env[variable] ? undefined : `no API key: set ${variable} or the entry's api_key`;
}

/** The entry's own value, else the environment's (an empty string counts as unset). */
function setting(
  entry: Record<string, unknown>,
  key: string,
  fallback: string | undefined,
): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : fallback || undefined;
}

/**
 * `openai_compatible` chat: key and base URL from config or FLOW_LLM_API_KEY / FLOW_LLM_BASE_URL.
 *
 * @example
 * // config: llm: { default: { backend: openai_compatible, model_name: gpt-4o-mini } }
 * openAiCompatibleLlmBackend.name; // 'openai_compatible'
 */
export const openAiCompatibleLlmBackend: BackendDefinition<'llm'> = {
  kind: 'llm',
  name: 'openai_compatible',
  keys: connection,
  missingCredentials: missingKey('FLOW_LLM_API_KEY'),
  create: (entry, { env }) =>
    new OpenAiCompatibleLlm({
      ...(entry as unknown as OpenAiCompatibleSettings),
      api_key: setting(entry, 'api_key', env.FLOW_LLM_API_KEY),
      base_url: setting(entry, 'base_url', env.FLOW_LLM_BASE_URL),
    }),
};

/**
 * `anthropic` chat (Claude): key and base URL from config or ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL —
 * never FLOW_LLM_*, which belong to the OpenAI-compatible provider (its key must not go to Anthropic).
 *
 * @example
 * // config: llm: { default: { backend: anthropic, model_name: claude-sonnet-4-5 } }
 * anthropicLlmBackend.kind; // 'llm'
 */
export const anthropicLlmBackend: BackendDefinition<'llm'> = {
  kind: 'llm',
  name: 'anthropic',
  keys: connection,
  missingCredentials: missingKey('ANTHROPIC_API_KEY'),
  create: (entry, { env }) =>
    new AnthropicLlm({
      ...(entry as unknown as AnthropicSettings),
      api_key: setting(entry, 'api_key', env.ANTHROPIC_API_KEY),
      base_url: setting(entry, 'base_url', env.ANTHROPIC_BASE_URL),
    }),
};

/**
 * `openai_compatible` embeddings: FLOW_EMBEDDING_API_KEY / FLOW_EMBEDDING_BASE_URL.
 *
 * @example
 * // config: embedding_model: { default: { backend: openai_compatible, model_name: text-embedding-3-small, dimensions: 512 } }
 * openAiCompatibleEmbeddingBackend.kind; // 'embedding_model'
 */
export const openAiCompatibleEmbeddingBackend: BackendDefinition<'embedding_model'> = {
  kind: 'embedding_model',
  name: 'openai_compatible',
  keys: { ...connection, dimensions: { type: 'integer', min: 1, description: 'vector size to ask for' } },
  missingCredentials: missingKey('FLOW_EMBEDDING_API_KEY'),
  create: (entry, { env }) =>
    new OpenAiCompatibleEmbedding({
      ...(entry as unknown as OpenAiCompatibleEmbeddingSettings),
      model_name: String(entry.model_name),
      api_key: setting(entry, 'api_key', env.FLOW_EMBEDDING_API_KEY),
      base_url: setting(entry, 'base_url', env.FLOW_EMBEDDING_BASE_URL),
    }),
};

/**
 * FlowLLM's in-memory vector store; `store_dir` is where dumps go by default.
 *
 * @example
 * // config: vector_store: { default: { backend: memory, embedding_model: default } }
 * memoryVectorStoreBackend.name; // 'memory'
 */
export const memoryVectorStoreBackend: BackendDefinition<'vector_store'> = {
  kind: 'vector_store',
  name: 'memory',
  keys: {
    store_dir: {
      type: 'string',
      default: './memory_vector_store',
      description: 'where dump_workspace / load_workspace write and read by default',
    },
  },
  create: (entry, { embeddingModel }) =>
    new MemoryVectorStore(embeddingModel(String(entry.embedding_model)), String(entry.store_dir)),
};

/**
 * FlowLLM's `local` vector store: workspaces persisted as JSONL files under `store_dir`.
 *
 * @example
 * // config: vector_store: { notes: { backend: local, store_dir: ./local_vector_store } }
 * localVectorStoreBackend.name; // 'local'
 */
export const localVectorStoreBackend: BackendDefinition<'vector_store'> = {
  kind: 'vector_store',
  name: 'local',
  keys: {
    store_dir: {
      type: 'string',
      nonEmpty: true,
      default: './local_vector_store',
      description: 'the directory of the workspace files (<workspace_id>.jsonl)',
    },
  },
  create: (entry, { embeddingModel }) =>
    new LocalVectorStore(embeddingModel(String(entry.embedding_model)), String(entry.store_dir)),
};

/**
 * Every backend an app knows without extra packages (what {@link builtinBackends} holds).
 *
 * @example
 * BUILTIN_BACKENDS.map((backend) => `${backend.kind}:${backend.name}`);
 * // ['llm:mock', 'embedding_model:mock', 'llm:openai_compatible', 'llm:anthropic', …]
 */
export const BUILTIN_BACKENDS: BackendDefinition[] = [
  mockLlmBackend,
  mockEmbeddingBackend,
  openAiCompatibleLlmBackend,
  anthropicLlmBackend,
  openAiCompatibleEmbeddingBackend,
  memoryVectorStoreBackend,
  localVectorStoreBackend,
];
