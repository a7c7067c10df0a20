import { APP_BRAND } from '../brand.js';
import type { ConfigWarning } from '../config/config-error.js';
import type { FlowllmConfigInput, FlowllmConfigLayer } from '../config/config-input.js';
import type { FlowllmConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load.js';
import { FlowllmError } from '../errors.js';
import { type BackendDefinition, BackendRegistry } from '../models/backend-registry.js';
import { BUILTIN_BACKENDS } from '../models/builtin-backends.js';
import type { OpClass } from '../op/base-op.js';
import type { OpRegistry } from '../op/op-registry.js';
import { AppTelemetry } from '../telemetry/app-telemetry.js';
import { buildFlow, buildFlows } from './build-flows.js';
import { createResources } from './config-resources.js';
import type { FlowResponse } from './context.js';
import { checkCredentials } from './credentials.js';
import type { Flow, FlowRunOptions } from './flow.js';
import type { FlowStream } from './flow-stream.js';
import { OpTreeBuilder } from './op-builder.js';
import type { FlowResources } from './resources.js';

/**
 * The backends every app knows (`mock`, `openai_compatible`, `anthropic`, `memory`, `local`); later
 * packages add theirs with the `backends` option.
 *
 * @example
 * builtinBackends.configBackends().llm; // { mock: {…}, openai_compatible: {…}, anthropic: {…} }
 */
export const builtinBackends = new BackendRegistry(BUILTIN_BACKENDS);

/**
 * Options of {@link createFlowApp}; the adapters take the same ones (but `config`) beside their own.
 *
 * @example
 * const app = createFlowApp({
 *   config: ['my_stream_config', { http: { heartbeat: 5 } }],
 *   overrides: ['llm.default.model_name=qwen-max'],
 *   ops: [SummarizeOp],
 *   offlineFallback: true,
 * });
 */
export interface FlowAppOptions {
  /**
   * Config layers over the built-in defaults, in order: names (looked up among the built-in configs,
   * then in `cwd`), YAML paths, or config objects. Config objects are typed: a misspelt key or a
   * wrong value is a compile error (a layer in a list may leave out keys an earlier layer set).
   * @default the built-in defaults only (no flows)
   */
  config?: string | FlowllmConfigInput | (string | FlowllmConfigLayer)[];
  /**
   * `key=value` overrides, parsed like the command line (`http.port=9000`).
   * @default []
   */
  overrides?: string[];
  /**
   * Where config names and `.env` are looked up.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Environment for `${VAR}`, `FLOW_*` and backends.
   * @default process.env (after `.env` filled it)
   */
  env?: Record<string, string | undefined>;
  /**
   * Op classes to add to the default registry for this app.
   * @default []
   */
  ops?: OpClass[];
  /**
   * A registry to use instead of the default one (the built-in ops and those `registerOp` added).
   * @default defaultOpRegistry
   */
  opRegistry?: OpRegistry;
  /**
   * Model backends to add to the built-in ones.
   * @default []
   */
  backends?: BackendDefinition[];
  /**
   * A model entry without its API key: `false` fails start-up naming it; `true` runs it on the offline
   * `mock` model and adds a notice to `app.notices` (the `flowllm` command does this).
   * @default false
   */
  offlineFallback?: boolean;
}

/**
 * A configured set of flows with their models: what the HTTP service, the adapters and the
 * command line serve. Building it validates everything; nothing starts half-configured.
 *
 * @example
 * const app = createFlowApp({ config: 'my_stream_config' });
 * for await (const chunk of app.stream('demo_stream_http_flow', { query: 'hi' })) console.log(chunk);
 */
export class FlowApp {
  readonly [APP_BRAND] = true;
  readonly config: FlowllmConfig;
  readonly warnings: readonly ConfigWarning[];
  readonly resources: FlowResources;
  readonly flows: ReadonlyMap<string, Flow>;
  /** Things a person starting the app should know, e.g. a model running offline for lack of a key. */
  readonly notices: readonly string[];
  private readonly builder: OpTreeBuilder;
  private readonly closeHooks: (() => Promise<void> | void)[];
  private closing: Promise<void> | undefined;

  constructor(parts: FlowAppParts) {
    this.config = parts.config;
    this.warnings = parts.warnings;
    this.resources = parts.resources;
    this.builder = parts.builder;
    this.flows = parts.flows;
    this.notices = parts.notices ?? [];
    this.closeHooks = parts.closeHooks ?? [];
  }

  /** Registers cleanup for {@link FlowApp.close} (ops register theirs through `resources.onClose`). */
  onClose(hook: () => Promise<void> | void): void {
    this.closeHooks.push(hook);
  }

  /**
   * Releases what the app holds open between requests (e.g. connections to external MCP servers):
   * runs every close hook; a failing hook does not stop the others. A service's `shutdown()` calls
   * it. The app stays usable: what a later request needs is opened again.
   */
  close(): Promise<void> {
    this.closing ??= Promise.allSettled(this.closeHooks.map(async (hook) => hook())).then(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  /** The served flow `name`; an unknown name is an error listing the served ones. */
  flow(name: string): Flow {
    const flow = this.flows.get(name);
    if (!flow) {
      const known = [...this.flows.keys()].join(', ') || 'none';
      throw new FlowllmError('FLOWLLM_UNKNOWN_FLOW', `unknown flow '${name}'; served flows: ${known}`, {
        expose: true,
        status: 404,
      });
    }
    return flow;
  }

  run(name: string, input?: Record<string, unknown>, options?: FlowRunOptions): Promise<FlowResponse> {
    return this.flow(name).run(input, options);
  }

  stream(name: string, input?: Record<string, unknown>, options?: FlowRunOptions): FlowStream {
    return this.flow(name).stream(input, options);
  }

  /**
   * The served flows that are tools (FlowLLM's tool flows, as its MCP service lists them): the sync
   * ones — a stream flow answers in chunks, not with one result. Each has its `tool` description.
   */
  toolFlows(): Flow[] {
    return [...this.flows.values()].filter((flow) => !flow.isStream);
  }

  /**
   * A one-off flow from an expression (e.g. `backend=cmd cmd.flow="ChatOp()"`), not served. It has no
   * time limit: the person at the terminal stops it (Ctrl+C).
   */
  flowFromExpression(expression: string, stream = true): Flow {
    const config = { flow_content: expression, stream, description: '', timeout: null, input_schema: {} };
    return buildFlow('cmd', config, { builder: this.builder, resources: this.resources });
  }
}

/**
 * What a {@link FlowApp} is made of; {@link buildFlowApp} builds them from a config.
 *
 * @example
 * const app = new FlowApp({ ...parts, flows: new Map([['chat', parts.flows.get('chat')]]) });
 */
export interface FlowAppParts {
  config: FlowllmConfig;
  warnings: readonly ConfigWarning[];
  resources: FlowResources;
  /** Builds the op trees (of `flowFromExpression` too). */
  builder: OpTreeBuilder;
  flows: ReadonlyMap<string, Flow>;
  /** @default [] */
  notices?: readonly string[];
  /** Cleanup {@link FlowApp.close} runs (the list `resources.onClose` adds to). @default [] */
  closeHooks?: (() => Promise<void> | void)[];
}

/**
 * Loads and validates the config, builds the models and every flow, with `opRegistry` unless the
 * options name one: the engine knows no ops of its own (`createFlowApp` passes the built-in ones).
 * Throws a `ConfigError` listing every problem (file, key path, line:column, what would be valid).
 *
 * @example
 * const app = buildFlowApp({ config: 'my_stream_config' }, { opRegistry: new OpRegistry([EchoOp]) });
 */
export function buildFlowApp(options: FlowAppOptions, defaults: { opRegistry: OpRegistry }): FlowApp {
  const backends = builtinBackends.extend(options.backends ?? []);
  const registry = (options.opRegistry ?? defaults.opRegistry).extend(options.ops ?? []);
  const env = options.env ?? process.env;
  const configs =
    options.config === undefined ? [] : Array.isArray(options.config) ? options.config : [options.config];
  const { config, warnings, sources } = loadConfig({
    configs,
    overrides: options.overrides ?? [],
    cwd: options.cwd,
    env,
    backends: backends.configBackends(),
  });
  const setup = { config, backends, env, sources };
  const notices = checkCredentials({ ...setup, offlineFallback: options.offlineFallback ?? false });
  // Flows are built after the resources, yet a flow's ops may run another flow (ToolFlowOp).
  let flows = new Map<string, Flow>();
  const closeHooks: (() => Promise<void> | void)[] = [];
  const resources: FlowResources = {
    ...createResources(setup),
    flow: (name) => flows.get(name),
    onClose: (hook) => closeHooks.push(hook),
    telemetry: new AppTelemetry(config.telemetry),
  };
  const builder = new OpTreeBuilder(registry, resources);
  flows = buildFlows({ config, builder, resources, sources });
  const replaced = registry.replacements.map((message) => ({ path: 'ops', message }));
  return new FlowApp({
    config,
    warnings: [...warnings, ...replaced],
    resources,
    builder,
    flows,
    notices,
    closeHooks,
  });
}
