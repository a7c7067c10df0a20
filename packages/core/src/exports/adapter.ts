// `@flowllm/core/adapter`: for adapter authors — the framework-neutral seam (`service.handle()` takes a
// ServiceRequest, returns a ServiceResult) and the Node and fetch bridges the built-in adapters use.
// App authors do not need it: `createFlowService` and the adapters cover serving.
export { type FlowServiceSourceOptions, nodeListener, toFlowService } from '../http/deprecated.js';
export { type FetchHandleOptions, handleFetchRequest } from '../http/fetch-handler.js';
export { HttpError } from '../http/http-error.js';
export { validateFlowInput } from '../http/input-validation.js';
export {
  handleNodeRequest,
  type NodeHandleOptions,
  nodeServiceRequest,
  type WriteNodeStreamOptions,
  writeNodeStream,
} from '../http/node-handler.js';
export { closeGracefully } from '../http/serve.js';
export { consoleLogger, type ServiceRequest, type ServiceResult } from '../http/service-types.js';
export { SseFramer, type StreamVariant } from '../http/sse-framer.js';
export type {
  EventLog,
  LoggedFrames,
  ResumeConfig,
  RunInfo,
  RunState,
  RunWriter,
} from '../resume/event-log.js';
export { createMemoryEventLog, DONE_FRAME, MemoryEventLog } from '../resume/memory-event-log.js';
