// `@flowllm/core/models`: for backend authors and tests — the model and vector-store interfaces, the
// built-in backends and their registry, the mock models. Listed by name: the surface stays visible.
export type {
  AnySpec,
  ArraySpec,
  BackendKeys,
  BackendKind,
  BooleanSpec,
  CommonSpec,
  ConfigBackends,
  FieldSpec,
  IntegerSpec,
  NumberSpec,
  ObjectSpec,
  RecordSpec,
  StringSpec,
} from '../config/field-spec.js';
export { builtinBackends } from '../engine/flow-app.js';
export { aggregateChat, BaseLlm } from '../models/aggregate.js';
export {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  AnthropicLlm,
  type AnthropicSettings,
} from '../models/anthropic-llm.js';
export {
  type BackendContext,
  type BackendDefinition,
  BackendRegistry,
} from '../models/backend-registry.js';
export {
  anthropicLlmBackend,
  BUILTIN_BACKENDS,
  localVectorStoreBackend,
  memoryVectorStoreBackend,
  openAiCompatibleEmbeddingBackend,
  openAiCompatibleLlmBackend,
} from '../models/builtin-backends.js';
export { LocalVectorStore } from '../models/local-vector-store.js';
export { MemoryVectorStore } from '../models/memory-vector-store.js';
export { mockEmbeddingBackend, mockLlmBackend } from '../models/mock-backends.js';
export { MockEmbeddingModel } from '../models/mock-embedding.js';
export { MockLlm, type MockLlmSettings, type MockLlmStats, type MockReply } from '../models/mock-llm.js';
export {
  OpenAiCompatibleEmbedding,
  type OpenAiCompatibleEmbeddingSettings,
} from '../models/openai-compatible-embedding.js';
export { OpenAiCompatibleLlm, type OpenAiCompatibleSettings } from '../models/openai-compatible-llm.js';
export type {
  AssistantMessage,
  EmbeddingModel,
  Llm,
  LlmCallOptions,
  LlmChunk,
  Message,
  ToolSpec,
  Usage,
  VectorNode,
  VectorSearchOptions,
  VectorStore,
  WorkspaceVectorStore,
} from '../models/types.js';
export { RETRY_KEYS, type RetrySettings } from '../models/upstream-call.js';
export { cosine, matchesFilter } from '../models/vector-filter.js';
export { withOnOpen } from '../models/with-on-open.js';
