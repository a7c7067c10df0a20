import { BUILTIN_BACKEND_KEYS } from '../config/builtin-backend-keys.js';
import type { BackendDefinition } from './backend-registry.js';
import { MockEmbeddingModel } from './mock-embedding.js';
import { MockLlm, type MockLlmSettings } from './mock-llm.js';

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
  keys: BUILTIN_BACKEND_KEYS.llm.mock,
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
  keys: BUILTIN_BACKEND_KEYS.embedding_model.mock,
  create: (entry) => new MockEmbeddingModel(entry as { model_name?: string; dimensions?: number }),
};
