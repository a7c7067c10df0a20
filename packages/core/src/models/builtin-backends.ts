import { BUILTIN_BACKEND_KEYS } from '../config/builtin-backend-keys.js';
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

/** The entry's own value, else the environment's (an empty string counts as unset). */
function setting(
  entry: Record<string, unknown>,
  key: string,
  fallback: string | undefined,
): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : fallback || undefined;
}

/** The connection of an SDK-backed entry: its own key and base URL, else `<ENV>_API_KEY` / `<ENV>_BASE_URL`. */
interface Connection {
  api_key?: string;
  base_url?: string;
}

/**
 * A backend on a provider's SDK whose key and base URL come from the entry, else from `<env>_API_KEY`
 * and `<env>_BASE_URL`; start-up names a missing key.
 */
function providerBackend<K extends 'llm' | 'embedding_model'>(
  definition: Pick<BackendDefinition<K>, 'kind' | 'name' | 'keys'> & { env: string },
  make: (entry: Record<string, unknown> & Connection) => ReturnType<BackendDefinition<K>['create']>,
): BackendDefinition<K> {
  const { env: prefix, ...rest } = definition;
  const keyVariable = `${prefix}_API_KEY`;
  return {
    ...rest,
    missingCredentials: (entry, env) =>
      entry.api_key || env[keyVariable] ? undefined : `no API key: set ${keyVariable} or the entry's api_key`,
    create: (entry, { env }) =>
      make({
        ...entry,
        api_key: setting(entry, 'api_key', env[keyVariable]),
        base_url: setting(entry, 'base_url', env[`${prefix}_BASE_URL`]),
      }),
  };
}

/**
 * `openai_compatible` chat: key and base URL from config or FLOW_LLM_API_KEY / FLOW_LLM_BASE_URL.
 *
 * @example
 * // config: llm: { default: { backend: openai_compatible, model_name: gpt-4o-mini } }
 * openAiCompatibleLlmBackend.name; // 'openai_compatible'
 */
export const openAiCompatibleLlmBackend: BackendDefinition<'llm'> = providerBackend(
  {
    kind: 'llm',
    name: 'openai_compatible',
    keys: BUILTIN_BACKEND_KEYS.llm.openai_compatible,
    env: 'FLOW_LLM',
  },
  (entry) => new OpenAiCompatibleLlm(entry as unknown as OpenAiCompatibleSettings),
);

/**
 * `anthropic` chat (Claude): key and base URL from config or ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL —
 * never FLOW_LLM_*, which belong to the OpenAI-compatible provider (its key must not go to Anthropic).
 * Needs `@anthropic-ai/sdk` installed: a config naming it fails at start without.
 *
 * @example
 * // config: llm: { default: { backend: anthropic, model_name: claude-sonnet-4-5 } }
 * anthropicLlmBackend.kind; // 'llm'
 */
export const anthropicLlmBackend: BackendDefinition<'llm'> = providerBackend(
  { kind: 'llm', name: 'anthropic', keys: BUILTIN_BACKEND_KEYS.llm.anthropic, env: 'ANTHROPIC' },
  (entry) => new AnthropicLlm(entry as unknown as AnthropicSettings),
);

/**
 * `openai_compatible` embeddings: FLOW_EMBEDDING_API_KEY / FLOW_EMBEDDING_BASE_URL.
 *
 * @example
 * // config: embedding_model: { default: { backend: openai_compatible, model_name: text-embedding-3-small, dimensions: 512 } }
 * openAiCompatibleEmbeddingBackend.kind; // 'embedding_model'
 */
export const openAiCompatibleEmbeddingBackend: BackendDefinition<'embedding_model'> = providerBackend(
  {
    kind: 'embedding_model',
    name: 'openai_compatible',
    keys: BUILTIN_BACKEND_KEYS.embedding_model.openai_compatible,
    env: 'FLOW_EMBEDDING',
  },
  (entry) =>
    new OpenAiCompatibleEmbedding({
      ...(entry as unknown as OpenAiCompatibleEmbeddingSettings),
      model_name: String(entry.model_name),
    }),
);

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
  keys: BUILTIN_BACKEND_KEYS.vector_store.memory,
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
  keys: BUILTIN_BACKEND_KEYS.vector_store.local,
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
