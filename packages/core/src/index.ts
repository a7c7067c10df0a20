// @flowllm/core's public API. Each module lists its own public names in its index file.

export {
  CHUNK_TYPES,
  type ChunkContent,
  type ChunkType,
  createChunk,
  type FlowStreamChunk,
  isChunkType,
  type ToolCallChunk,
} from './chunk.js';
export * from './config/index.js';
export { ChunkChannel } from './engine/chunk-channel.js';
export { createResources } from './engine/config-resources.js';
export {
  FlowContext,
  type FlowContextInit,
  type FlowResponse,
  type ReportedError,
} from './engine/context.js';
export { Flow, type FlowRunOptions, newFlowId } from './engine/flow.js';
export { builtinBackends, createFlowApp, FlowApp, type FlowAppOptions } from './engine/flow-app.js';
export { FlowAbortedError, FlowTimeoutError } from './engine/flow-errors.js';
export { FlowStream } from './engine/flow-stream.js';
export type { FlowResources, ResourceKind } from './engine/resources.js';
export { errorMessage, FlowllmError, type FlowllmErrorOptions } from './errors.js';
export * from './expression/index.js';
export { corsHeaders, preflightHeaders } from './http/cors.js';
export { clientMessage, errorStatus, MASKED_ERROR } from './http/error-result.js';
export { type FetchHandleOptions, handleFetchRequest } from './http/fetch-handler.js';
export { bodyTooLarge, HttpError, type ValidationIssue } from './http/http-error.js';
export { inputFromQuery, validateFlowInput } from './http/input-validation.js';
export {
  handleNodeRequest,
  type NodeHandleOptions,
  nodeListener,
  nodeServiceRequest,
  writeNodeStream,
} from './http/node-handler.js';
export { buildOpenApi } from './http/openapi.js';
export { closeGracefully, type RunningServer, type ServeOptions, serve } from './http/serve.js';
export { FlowService, type FlowServiceOptions } from './http/service.js';
export {
  type FlowServiceSource,
  type FlowServiceSourceOptions,
  toFlowService,
} from './http/service-source.js';
export {
  consoleLogger,
  type ServiceLogger,
  type ServiceRequest,
  type ServiceResult,
} from './http/service-types.js';
export { EVENT_SOURCE_DONE, SseFramer, type StreamVariant } from './http/sse-framer.js';
export { abortableSleep } from './models/abortable-sleep.js';
export { aggregateChat, BaseLlm } from './models/aggregate.js';
export {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  AnthropicLlm,
  type AnthropicSettings,
} from './models/anthropic-llm.js';
export { type BackendContext, type BackendDefinition, BackendRegistry } from './models/backend-registry.js';
export {
  anthropicLlmBackend,
  BUILTIN_BACKENDS,
  localVectorStoreBackend,
  memoryVectorStoreBackend,
  openAiCompatibleEmbeddingBackend,
  openAiCompatibleLlmBackend,
} from './models/builtin-backends.js';
export { LocalVectorStore } from './models/local-vector-store.js';
export { MemoryVectorStore } from './models/memory-vector-store.js';
export { mockEmbeddingBackend, mockLlmBackend } from './models/mock-backends.js';
export { MockEmbeddingModel } from './models/mock-embedding.js';
export { MockLlm, type MockLlmSettings, type MockLlmStats, type MockReply } from './models/mock-llm.js';
export {
  OpenAiCompatibleEmbedding,
  type OpenAiCompatibleEmbeddingSettings,
} from './models/openai-compatible-embedding.js';
export { OpenAiCompatibleLlm, type OpenAiCompatibleSettings } from './models/openai-compatible-llm.js';
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
} from './models/types.js';
export { RETRY_KEYS, type RetrySettings } from './models/upstream-call.js';
export { cosine, matchesFilter } from './models/vector-filter.js';
export { withOnOpen } from './models/with-on-open.js';
export { BaseOp, type OpClass } from './op/base-op.js';
export { ParallelOp, SequentialOp } from './op/composite-ops.js';
export { isOpClassName, opSnakeName } from './op/naming.js';
export { OpConfigError, OpFailedError } from './op/op-errors.js';
export type { CommonOpOptions } from './op/op-options.js';
export { OpRegistry } from './op/op-registry.js';
export { formatPrompt } from './op/prompt-format.js';
export { PromptTemplates, promptFileBeside } from './op/prompt-templates.js';
export { defaultOpRegistry, registerOp } from './ops/builtin.js';
export { ChatOp } from './ops/chat-op.js';
export { GenSystemPromptOp } from './ops/gen-system-prompt-op.js';
export { StreamChatOp } from './ops/stream-chat-op.js';
export * from './sse/index.js';
