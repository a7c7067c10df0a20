// @flowllm/testing: faithful local LLM upstreams for tests.

export { startAnthropicUpstream } from './anthropic.js';
export { fakeEmbedding } from './embeddings.js';
export { startOpenAiUpstream } from './openai.js';
export { apiKeyOf } from './server.js';
export type {
  LocalUpstream,
  RecordedRequest,
  ScriptedToolCall,
  ScriptedUsage,
  UpstreamOptions,
  UpstreamReply,
  UpstreamScript,
} from './types.js';
