import type { FlowllmConfig, LlmConfig } from '../config/config-types.js';
import type { EmbeddingModel, Llm, VectorStore } from '../models/types.js';
import type { AppTelemetry } from '../telemetry/app-telemetry.js';
import type { Flow } from './flow.js';

/**
 * The three kinds of named resources in a config: `llm`, `embedding_model`, `vector_store`.
 *
 * @example
 * const kinds: ResourceKind[] = ['llm', 'embedding_model', 'vector_store'];
 */
export type ResourceKind = 'llm' | 'embedding_model' | 'vector_store';

/**
 * One validated `external_mcp` entry: how to reach an MCP server whose tools ops may call — `url`
 * (with `type`, `headers`, `timeout`) or `command` (with `args`, `env`, `cwd`).
 *
 * @example
 * const server: ExternalMcpConfig = { type: 'sse', url: 'https://mcp.example/sse', headers: { Authorization: 'Bearer {MCP_KEY}' } };
 */
export type ExternalMcpConfig = FlowllmConfig['external_mcp'][string];

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
  /**
   * The app's environment (`createFlowApp({ env })`, else `process.env` after `.env`): where ops read
   * their own settings, such as a search API key. Optional: resources made by hand need not have it.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  llm(name: string): Llm;
  embeddingModel(name: string): EmbeddingModel;
  vectorStore(name: string): VectorStore;
  /** Configured names of one kind, for validation messages. */
  names(kind: ResourceKind): string[];
  /**
   * The validated config entry of an llm (e.g. its `token_count`, which TokenCountOp reads); undefined
   * for a name that is not configured. Optional: resources made by hand need not have it.
   */
  llmConfig?(name: string): LlmConfig | undefined;
  /**
   * A served flow of the same app, by name (what `ToolFlowOp` runs); undefined when there is none.
   * Optional: resources made by hand need not have it.
   */
  flow?(name: string): Flow | undefined;
  /**
   * The config's `external_mcp` servers, by name (what `@flowllm/mcp`'s ops connect to). Optional:
   * resources made by hand need not have it.
   */
  readonly externalMcp?: Readonly<Record<string, ExternalMcpConfig>>;
  /**
   * Registers cleanup the app runs when it closes (`app.close()`, a service's shutdown): e.g. the
   * connections a pool keeps open across requests. Optional: resources made by hand need not have it.
   */
  onClose?(hook: () => Promise<void> | void): void;
  /**
   * The app's telemetry (config `telemetry`): spans, metrics and run timelines. Optional: without it
   * runs are not instrumented.
   */
  readonly telemetry?: AppTelemetry;
}
