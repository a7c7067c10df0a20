import { context as otelContext } from '@opentelemetry/api';
import type { FlowContext } from '../engine/context.js';
import { FlowllmError } from '../errors.js';
import type { EmbeddingModel, Llm, VectorStore } from '../models/types.js';
import { withOnOpen } from '../models/with-on-open.js';
import { cacheStoreAt, cacheThrough } from '../storage/cache-through.js';
import { observeLlm } from '../telemetry/model-call.js';
import { observeEmbedding, startOpSpan } from '../telemetry/steps.js';
import type { TelemetrySpan } from '../telemetry/telemetry-span.js';
import { opShortName, opSnakeName } from './naming.js';
import { OpConfigError, OpFailedError } from './op-errors.js';
import { type CommonOpOptions, splitKwargs } from './op-options.js';
import { PromptTemplates } from './prompt-templates.js';

/**
 * The static side of an op class: what the registry and the expression builder need. Every class that
 * extends {@link BaseOp} is one.
 *
 * @example
 * const ops: OpClass[] = [SummarizeOp, TranslateOp];
 * createFlowApp({ config: 'my_config', ops });
 */
export interface OpClass<T extends BaseOp = BaseOp> {
  new (kwargs?: Record<string, unknown>): T;
  readonly name: string;
  readonly options: Record<string, unknown>;
  readonly prompts: Record<string, string>;
  readonly promptFile: string | undefined;
}

/**
 * What `checkSetup` can look at: the app's served flows.
 *
 * @example
 * const problem = setup.flow('search') ? undefined : "flow 'search' is not served";
 */
export interface OpSetup {
  flow(name: string): { readonly isStream: boolean } | undefined;
  /** The names of the config's `external_mcp` servers. */
  readonly externalMcpServers: readonly string[];
}

const promptCache = new WeakMap<object, Map<string, PromptTemplates>>();

/**
 * The base of every op. Subclasses implement `execute` (and optionally `before` / `after`); the
 * engine calls `run`, which adds retries, abort checks and the error policy.
 *
 * Expression kwargs configure the instance: the common options (`llm`, `max_retries`, …), then the
 * names the class declares in `static options` (with their defaults), and the rest in `params`.
 *
 * @example
 * class EchoOp extends BaseOp {
 *   static override options = { prefix: '' };
 *   async execute() {
 *     this.context.response.answer = `${this.option('prefix')}${this.context.get('query')}`;
 *   }
 * }
 */
export abstract class BaseOp {
  /** Named options of this class and their defaults. */
  static options: Record<string, unknown> = {};
  /** Inline prompt templates, `name: template`. */
  static prompts: Record<string, string> = {};
  /** A YAML prompt file (see `promptFileBeside`); its entries override inline ones. */
  static promptFile: string | undefined = undefined;

  readonly name: string;
  readonly common: Readonly<CommonOpOptions>;
  readonly params: Record<string, unknown>;
  private subOps: Record<string, BaseOp> | undefined;
  private readonly named: Record<string, unknown>;
  private readonly kwargs: Record<string, unknown>;
  private runContext: FlowContext | undefined;
  private runSignal: AbortSignal | undefined;
  private runSpan: TelemetrySpan | undefined;
  // The error the last run reported instead of failing (its span ends with it).
  #reported: unknown;

  constructor(kwargs: Record<string, unknown> = {}) {
    const ctor = this.constructor as OpClass;
    const split = splitKwargs(ctor.name, kwargs, collectOptions(ctor));
    this.kwargs = kwargs;
    this.common = split.common;
    this.named = split.named;
    this.params = split.params;
    this.name = split.common.name ?? snakeNameOf(ctor);
  }

  /** FlowLLM's `short_name`: `name` without `_op` (`search_op` → `search`); tools are named by it. */
  get shortName(): string {
    return opShortName(this.name);
  }

  /**
   * A fresh instance built from the same kwargs, with fresh copies of its sub-ops: what an agent runs
   * for each tool call, so concurrent calls of one tool share no state.
   */
  copy(): this {
    const ctor = this.constructor as new (kwargs: Record<string, unknown>) => this;
    const fresh = new ctor(this.kwargs);
    for (const [key, op] of Object.entries(this.subOps ?? {})) fresh.attach(key, op.copy());
    return fresh;
  }

  /** Sub-ops attached with `<<` or `op.ops.name = …`, in order. */
  get ops(): Record<string, BaseOp> {
    // Made on first use: most ops have none, and every request builds its ops anew.
    this.subOps ??= Object.create(null) as Record<string, BaseOp>;
    return this.subOps;
  }

  /** The value of a named option declared in `static options`. */
  option<T = unknown>(key: string): T {
    if (!Object.hasOwn(this.named, key)) {
      throw new FlowllmError('FLOWLLM_OP', `${this.constructor.name} declares no option '${key}'`);
    }
    return this.named[key] as T;
  }

  /**
   * Binds the op to a request without running it, so its prompts, language and models resolve: what
   * an agent does before it reads a tool's description.
   */
  bind(context: FlowContext): this {
    this.runContext = context;
    return this;
  }

  /** The request's context; only valid while the op runs. */
  get context(): FlowContext {
    if (!this.runContext) throw new FlowllmError('FLOWLLM_OP', `${this.constructor.name} is not running`);
    return this.runContext;
  }

  /** Aborts when the client leaves, the flow times out, or a parallel sibling failed. */
  get signal(): AbortSignal {
    return this.runSignal ?? this.context.signal;
  }

  /** The configured model; its requests tell the flow when they connect (see `FlowStream.ready`). */
  get llm(): Llm {
    const context = this.context;
    const llm = withOnOpen(context.resources.llm(this.common.llm), () => context.markOpen());
    if (!this.runSpan) return llm;
    return observeLlm(llm, this.runSpan, context.resources.llmConfig?.(this.common.llm)?.params);
  }

  get embeddingModel(): EmbeddingModel {
    const model = this.context.resources.embeddingModel(this.common.embedding_model);
    return this.runSpan ? observeEmbedding(model, this.runSpan) : model;
  }

  /**
   * This run's telemetry span (`op {OpClass}`), when something listens: what an op passes as the
   * parent of the steps it starts itself (an agent's tool calls).
   */
  get telemetrySpan(): TelemetrySpan | undefined {
    return this.runSpan;
  }

  get vectorStore(): VectorStore {
    return this.context.resources.vectorStore(this.common.vector_store);
  }

  get language(): string {
    return this.common.language ?? this.runContext?.resources.language ?? '';
  }

  /**
   * FlowLLM's `save_load_cache`: with `enable_cache`, a fresh result stored under `key` (any JSON value)
   * in `cache_path`, else `compute()`'s result, stored for `cache_expire_hours`; without, just
   * `compute()`. Results are stored as JSON, and hits and misses both return the parsed JSON.
   *
   * @example
   * const reply = await this.cache({ model: this.llm.modelName, messages }, () => this.llm.chat(messages));
   */
  async cache<T>(key: unknown, compute: () => Promise<T> | T): Promise<T> {
    const { enable_cache, cache_path, cache_expire_hours } = this.common;
    if (!enable_cache) return compute();
    const store = cacheStoreAt(cache_path.replaceAll('{op_name}', this.shortName));
    return cacheThrough(store, key, cache_expire_hours, compute);
  }

  /** Fills the prompt `name` (preferring `name_<language>`) with `variables`. */
  prompt(name: string, variables: Record<string, unknown> = {}): string {
    return this.promptTemplates().format(name, variables, this.language);
  }

  /** Loads this op's templates once per class and prompt file; also used to fail early at build time. */
  promptTemplates(): PromptTemplates {
    const ctor = this.constructor as OpClass;
    const file = this.common.prompt_path ?? ctor.promptFile;
    let byFile = promptCache.get(ctor);
    if (!byFile) {
      byFile = new Map();
      promptCache.set(ctor, byFile);
    }
    const key = file ?? '';
    let templates = byFile.get(key);
    if (!templates) {
      templates = new PromptTemplates(collectPrompts(ctor));
      if (file) templates = templates.merge(PromptTemplates.fromFile(file));
      byFile.set(key, templates);
    }
    return templates;
  }

  /** Attaches a sub-op under `key`; composite ops refuse. */
  attach(key: string, op: BaseOp): void {
    if (Object.hasOwn(this.ops, key)) {
      throw new OpConfigError(`${this.constructor.name} already has a sub-op named '${key}'`);
    }
    this.ops[key] = op;
  }

  /**
   * A problem this op can see at start-up, once every flow of the app is built (e.g. a flow it runs
   * is missing): return its text and the config fails with it, before any request. Default: none.
   */
  checkSetup(_setup: OpSetup): string | undefined {
    return undefined;
  }

  async before(): Promise<void> {}
  abstract execute(): Promise<void> | void;
  async after(): Promise<void> {}

  /**
   * Runs the op on a context: abort checks, `max_retries` attempts, then the error policy. `parent` is
   * the telemetry span its own span hangs below (default: the run's).
   */
  run(context: FlowContext, signal: AbortSignal = context.signal, parent?: TelemetrySpan): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    this.runContext = context;
    this.runSignal = signal;
    const telemetry = context.telemetry;
    // Without telemetry, the attempts' own promise: no second async frame held while the op waits.
    if (!telemetry) return this.#attempts(context, signal);
    return this.#observedRun(telemetry.root, context, signal, parent);
  }

  async #observedRun(
    root: TelemetrySpan,
    context: FlowContext,
    signal: AbortSignal,
    parent: TelemetrySpan | undefined,
  ): Promise<void> {
    const span = startOpSpan(parent ?? root, this.constructor.name, this.name);
    this.runSpan = span;
    try {
      await otelContext.with(span.otelContext, () => this.#attempts(context, signal));
      span.end(this.#reported);
    } catch (error) {
      span.end(error);
      throw error;
    }
  }

  /** The attempts of one run; the error it reported instead of failing, if any, goes to `reported`. */
  async #attempts(context: FlowContext, signal: AbortSignal): Promise<void> {
    this.#reported = undefined;
    for (let attempt = 1; ; attempt++) {
      const emittedBefore = context.emittedCount;
      try {
        await this.before();
        await this.execute();
        await this.after();
        return;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const streamed = context.emittedCount > emittedBefore;
        if (attempt < this.common.max_retries && !streamed) continue;
        if (this.common.raise_exception) throw new OpFailedError(this.constructor.name, error);
        await context.reportError(this.constructor.name, error);
        this.#reported = error;
        return;
      }
    }
  }
}

// Built per request with every op tree: compute each class's default name once.
const snakeNames = new WeakMap<OpClass, string>();
function snakeNameOf(ctor: OpClass): string {
  let name = snakeNames.get(ctor);
  if (name === undefined) {
    name = opSnakeName(ctor.name);
    snakeNames.set(ctor, name);
  }
  return name;
}

// Each class's options once, frozen: ops given none of them by name share this object.
const declaredOptions = new WeakMap<OpClass, Record<string, unknown>>();
function collectOptions(ctor: OpClass): Record<string, unknown> {
  let options = declaredOptions.get(ctor);
  if (options === undefined) {
    options = Object.freeze(collectStatic(ctor, 'options'));
    declaredOptions.set(ctor, options);
  }
  return options;
}

function collectPrompts(ctor: OpClass): Record<string, string> {
  return collectStatic(ctor, 'prompts') as Record<string, string>;
}

// Merge a static record along the prototype chain, subclasses winning.
function collectStatic(ctor: OpClass, key: 'options' | 'prompts'): Record<string, unknown> {
  const chain: Record<string, unknown>[] = [];
  for (let c: unknown = ctor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (Object.hasOwn(c as object, key)) chain.unshift((c as Record<string, Record<string, unknown>>)[key]!);
  }
  return Object.assign({}, ...chain);
}
