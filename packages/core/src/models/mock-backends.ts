import type { BackendDefinition } from './backend-registry.js';
import { MockEmbeddingModel } from './mock-embedding.js';
import { MockLlm, type MockLlmSettings } from './mock-llm.js';

const reply = {
  answer: { type: 'string', description: 'answer text; {input} is the last user message' },
  think: { type: 'string', description: 'think text streamed before the answer' },
  tool_calls: {
    type: 'array',
    items: {
      type: 'object',
      fields: { name: { type: 'string', required: true, nonEmpty: true }, arguments: { type: 'any' } },
    },
    description: 'tool calls: {name, arguments}',
  },
  error: { type: 'string', description: 'fail the stream with this message' },
  error_after: { type: 'integer', min: 0, description: 'answer tokens streamed before `error`' },
  connect_error: { type: 'string', description: 'fail before connecting, like an unreachable model' },
} as const;

/**
 * The offline chat model `mock`; its keys sit beside `backend` in an `llm` entry.
 *
 * @example
 * // config: llm: { default: { backend: mock, answer: 'Hi {input}!', token_delay_ms: 30 } }
 * mockLlmBackend.name; // 'mock'
 */
export const mockLlmBackend: BackendDefinition<'llm'> = {
  kind: 'llm',
  name: 'mock',
  keys: {
    ...reply,
    token_delay_ms: { type: 'integer', min: 0, default: 0, description: 'pause between tokens' },
    first_token_delay_ms: {
      type: 'integer',
      min: 0,
      default: 0,
      description: 'pause before the first token',
    },
    usage: { type: 'boolean', default: true, description: 'end with a usage chunk' },
    script: {
      type: 'array',
      default: [],
      items: { type: 'object', fields: { match: { type: 'string' }, ...reply } },
      description: 'replies chosen by the first `match` regex found in the last user message',
    },
  },
  create: (entry) => new MockLlm(entry as unknown as Partial<MockLlmSettings>),
};

/**
 * The offline embedding model `mock` (hashed bag of words).
 *
 * @example
 * // config: embedding_model: { default: { backend: mock, dimensions: 128 } }
 * mockEmbeddingBackend.kind; // 'embedding_model'
 */
export const mockEmbeddingBackend: BackendDefinition<'embedding_model'> = {
  kind: 'embedding_model',
  name: 'mock',
  keys: { dimensions: { type: 'integer', min: 1, max: 65536, default: 64 } },
  create: (entry) => new MockEmbeddingModel(entry as { model_name?: string; dimensions?: number }),
};
