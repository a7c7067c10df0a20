// @flowllm/core's root export: what an app author uses — config, the app and its service, serving,
// writing an op, chunk types and errors. Op and backend authors import `@flowllm/core/ops` and
// `@flowllm/core/models`, the SSE codec is `@flowllm/core/sse`, adapter plumbing `@flowllm/core/adapter`.
// Listed by name: every name here is kept stable.

export {
  CHUNK_TYPES,
  type ChunkContent,
  type ChunkType,
  type FlowStreamChunk,
  type ToolCallChunk,
} from './chunk.js';
export {
  ConfigError,
  type ConfigIssue,
  type ConfigSource,
  type ConfigWarning,
} from './config/config-error.js';
// Typed config objects (issue 14 item 1): the input type, defineConfig and the custom-backend hooks.
export {
  type CustomEmbeddingModelBackends,
  type CustomLlmBackends,
  type CustomVectorStoreBackends,
  defineConfig,
  type FlowllmConfigInput,
  type FlowllmConfigLayer,
} from './config/config-input.js';
export type { FlowllmConfig } from './config/config-types.js';
export { type LoadConfigOptions, type LoadedConfig, loadConfig } from './config/load.js';
export { createFlowApp } from './create-flow-app.js';
export type { FlowResponse } from './engine/context.js';
export type { Flow, FlowRunOptions } from './engine/flow.js';
export type { FlowApp, FlowAppOptions } from './engine/flow-app.js';
export { FlowAbortedError, FlowTimeoutError } from './engine/flow-errors.js';
export type { FlowStream } from './engine/flow-stream.js';
export { FLOWLLM_ERROR_CODES, type FlowllmErrorCode, type FlowllmErrorCodeInfo } from './error-codes.js';
export { FlowllmError, type FlowllmErrorOptions } from './errors.js';
export type { FetchHandleOptions } from './http/fetch-handler.js';
export type { McpMount, McpMountOptions } from './http/mcp-mount.js';
export { type RunningServer, type ServeOptions, serve } from './http/serve.js';
export { FlowService } from './http/service.js';
export type { FlowFetch, FlowHandleFetch, FlowNodeHandler } from './http/service-handlers.js';
export {
  createFlowService,
  type FlowServiceOptions,
  type FlowServiceSource,
} from './http/service-source.js';
export type { ServiceLogger } from './http/service-types.js';
export { BaseOp, type OpClass } from './op/base-op.js';
export { registerOp } from './ops/builtin.js';
