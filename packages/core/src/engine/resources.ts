import type { EmbeddingModel, Llm, VectorStore } from '../models/types.js';

/**
 * The three kinds of named resources in a config: `llm`, `embedding_model`, `vector_store`.
 *
 * @example
 * const kinds: ResourceKind[] = ['llm', 'embedding_model', 'vector_store'];
 */
export type ResourceKind = 'llm' | 'embedding_model' | 'vector_store';

/**
 * The models and stores named in config, shared by every request of an app (`app.resources`, and in an
 * op `this.llm`, `this.embeddingModel`, `this.vectorStore`).
 *
 * @example
 * const llm = app.resources.llm('default');
 * const message = await llm.chat([{ role: 'user', content: 'Hi' }]);
 */
export interface FlowResources {
  /** The config's prompt language (`language`). */
  readonly language: string;
  llm(name: string): Llm;
  embeddingModel(name: string): EmbeddingModel;
  vectorStore(name: string): VectorStore;
  /** Configured names of one kind, for validation messages. */
  names(kind: ResourceKind): string[];
}
