// @flowllm/client's public API: a browser-safe client for flowllm and FlowLLM servers.

export { FlowClient, type FlowClientOptions } from './client.js';
export { FlowClientError, type FlowClientErrorCode } from './errors.js';
export { readFlowChunks } from './read-stream.js';
export type {
  ChunkContent,
  ChunkType,
  FlowChunk,
  FlowInfo,
  FlowInput,
  FlowResponse,
  FlowRun,
  FlowStreamChunk,
  OpenApiDocument,
  RequestOptions,
  ResumeOptions,
  RunStopState,
  StreamOptions,
  ToolCall,
} from './types.js';
