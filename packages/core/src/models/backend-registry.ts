import type { BackendKeys, BackendKind, ConfigBackends } from '../config/field-spec.js';
import { FlowllmError } from '../errors.js';
import type { EmbeddingModel, Llm, VectorStore } from './types.js';

/**
 * What a backend factory receives beside its config entry.
 *
 * @example
 * const store: BackendDefinition<'vector_store'> = {
 *   kind: 'vector_store',
 *   name: 'my_store',
 *   keys: {},
 *   create: (entry, context: BackendContext) => new MyStore(context.embeddingModel(String(entry.embedding_model))),
 * };
 */
export interface BackendContext {
  /** The embedding model a vector store entry names. */
  embeddingModel(name: string): EmbeddingModel;
  env: Record<string, string | undefined>;
}

interface ProductOf {
  llm: Llm;
  embedding_model: EmbeddingModel;
  vector_store: VectorStore;
}

/**
 * One model backend: its config keys (validated with the config) and a factory.
 *
 * @example
 * const echo: BackendDefinition<'llm'> = { kind: 'llm', name: 'echo', keys: {}, create: (entry) => new EchoLlm(entry) };
 */
export interface BackendDefinition<K extends BackendKind = BackendKind> {
  kind: K;
  name: string;
  keys: BackendKeys;
  /** A message when the entry cannot work for lack of a credential (e.g. no API key), else undefined. */
  missingCredentials?(
    entry: Record<string, unknown>,
    env: Record<string, string | undefined>,
  ): string | undefined;
  create(entry: Record<string, unknown>, context: BackendContext): ProductOf[K];
}

/**
 * The model backends a config may name, by kind.
 *
 * @example
 * const backends = new BackendRegistry().register(echoBackend);
 */
export class BackendRegistry {
  private readonly definitions: { [K in BackendKind]: Map<string, BackendDefinition<K>> } = {
    llm: new Map(),
    embedding_model: new Map(),
    vector_store: new Map(),
  };

  constructor(definitions: BackendDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register<K extends BackendKind>(definition: BackendDefinition<K>): this {
    (this.definitions[definition.kind] as Map<string, BackendDefinition<K>>).set(definition.name, definition);
    return this;
  }

  get<K extends BackendKind>(kind: K, name: string): BackendDefinition<K> {
    const definition = this.definitions[kind].get(name) as BackendDefinition<K> | undefined;
    if (!definition) {
      const known = [...this.definitions[kind].keys()].join(', ');
      throw new FlowllmError(
        'FLOWLLM_UNKNOWN_BACKEND',
        `unknown ${kind} backend '${name}'; registered: ${known}`,
      );
    }
    return definition;
  }

  /** The key specs per backend, for config validation. */
  configBackends(): ConfigBackends {
    const keysOf = (kind: BackendKind) =>
      Object.fromEntries([...this.definitions[kind]].map(([name, definition]) => [name, definition.keys]));
    return {
      llm: keysOf('llm'),
      embedding_model: keysOf('embedding_model'),
      vector_store: keysOf('vector_store'),
    };
  }

  /** A registry with this one's backends plus `definitions`. */
  extend(definitions: BackendDefinition[]): BackendRegistry {
    const all = Object.values(this.definitions).flatMap((map) => [...map.values()]) as BackendDefinition[];
    return new BackendRegistry([...all, ...definitions]);
  }
}
