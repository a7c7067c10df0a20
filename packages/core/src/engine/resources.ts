import type { EmbeddingModel, Llm, VectorStore } from '../models/types.js';

export type ResourceKind = 'llm' | 'embedding_model' | 'vector_store';

/** The models and stores named in config, shared by every request of an app. */
export interface FlowResources {
  /** The config's prompt language (`language`). */
  readonly language: string;
  llm(name: string): Llm;
  embeddingModel(name: string): EmbeddingModel;
  vectorStore(name: string): VectorStore;
  /** Configured names of one kind, for validation messages. */
  names(kind: ResourceKind): string[];
}
