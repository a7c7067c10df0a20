import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import type { FlowllmConfig } from '../config/config-types.js';
import type { BackendKind } from '../config/field-spec.js';
import type { SourceMap } from '../config/source-map.js';
import { errorMessage, FlowllmError } from '../errors.js';
import type { BackendRegistry } from '../models/backend-registry.js';
import type { EmbeddingModel, Llm, VectorStore } from '../models/types.js';
import { modelsInUse } from './credentials.js';
import type { FlowResources } from './resources.js';

/** A model entry that could not be built and that no flow names: an error once something asks for it. */
class UnusableEntry {
  constructor(readonly reason: string) {}
}

/**
 * A loaded config and what its models are built with.
 *
 * @example
 * const setup: ConfigSetup = { config, backends: builtinBackends, env: process.env };
 */
export interface ConfigSetup {
  config: FlowllmConfig;
  /** The backends entries may name. */
  backends: BackendRegistry;
  /** Where API keys and other settings are read. */
  env: Record<string, string | undefined>;
  /** Where each key was set, for messages that point at a file, line and column. @default none */
  sources?: SourceMap;
}

/**
 * Builds every model and store the config names, up front: a bad entry fails start-up, not a request.
 *
 * @example
 * const resources = createResources({ config, backends: builtinBackends, env: process.env });
 * resources.llm('default');
 */
export function createResources({ config, backends, env, sources }: ConfigSetup): FlowResources {
  const issues: ConfigIssue[] = [];
  const used = modelsInUse(config);
  const build = <K extends BackendKind>(kind: K, embeddingModel: (name: string) => EmbeddingModel) => {
    const built = new Map<string, unknown>();
    for (const [name, entry] of Object.entries(config[kind])) {
      try {
        built.set(name, backends.get(kind, entry.backend).create(entry, { embeddingModel, env }));
      } catch (error) {
        // An entry no flow names that only lacks its key (FlowLLM's models in the built-in layer) fails
        // when it is used; any other mistake still stops start-up.
        const unused = kind !== 'vector_store' && !used[kind as 'llm' | 'embedding_model'].has(name);
        if (unused && backends.get(kind, entry.backend).missingCredentials?.(entry, env)) {
          built.set(name, new UnusableEntry(`${kind} '${name}' cannot be used: ${errorMessage(error)}`));
          continue;
        }
        issues.push({
          path: `${kind}.${name}`,
          message: errorMessage(error),
          source: sources?.lookup([kind, name]),
        });
      }
    }
    return built;
  };
  const lookup =
    <T>(kind: BackendKind, map: Map<string, T>) =>
    (name: string): T => {
      const found = map.get(name);
      if (found instanceof UnusableEntry) throw new FlowllmError('FLOWLLM_UNKNOWN_RESOURCE', found.reason);
      if (found === undefined) {
        const known = [...map.keys()].join(', ') || 'none';
        throw new FlowllmError(
          'FLOWLLM_UNKNOWN_RESOURCE',
          `${kind} '${name}' is not in the config; configured: ${known}`,
        );
      }
      return found;
    };
  const noEmbedding = lookup<EmbeddingModel>('embedding_model', new Map());
  const embeddingModels = build('embedding_model', noEmbedding) as Map<string, EmbeddingModel>;
  const embeddingModel = lookup('embedding_model', embeddingModels);
  const llms = build('llm', embeddingModel) as Map<string, Llm>;
  const vectorStores = build('vector_store', embeddingModel) as Map<string, VectorStore>;
  if (issues.length > 0) throw new ConfigError(issues);
  const names = { llm: llms, embedding_model: embeddingModels, vector_store: vectorStores };
  return {
    language: config.language,
    env,
    llm: lookup('llm', llms),
    embeddingModel,
    vectorStore: lookup('vector_store', vectorStores),
    names: (kind) => [...names[kind].keys()],
    llmConfig: (name) => (Object.hasOwn(config.llm, name) ? config.llm[name] : undefined),
    externalMcp: config.external_mcp,
  };
}
