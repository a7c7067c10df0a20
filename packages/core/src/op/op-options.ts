import { OpConfigError } from './op-errors.js';

/**
 * Options every op takes from its expression kwargs, with FlowLLM's names and our defaults.
 *
 * @example
 * // flow_content: ChatOp(llm="fast", max_retries=2, raise_exception=False, language="zh")
 */
export interface CommonOpOptions {
  /**
   * Display and sub-op name.
   * @default FlowLLM's camel_to_snake of the class name, `_op` kept (`SummarizeOp` → `summarize_op`)
   */
  name?: string;
  /**
   * Config name of the chat model this op uses (`this.llm`).
   * @default "default"
   */
  llm: string;
  /**
   * Config name of the embedding model this op uses (`this.embeddingModel`).
   * @default "default"
   */
  embedding_model: string;
  /**
   * Config name of the vector store this op uses (`this.vectorStore`).
   * @default "default"
   */
  vector_store: string;
  /**
   * Attempts of before/execute/after; a retry never happens once the op has streamed a chunk.
   * @default 1
   */
  max_retries: number;
  /**
   * `true`: a failure fails the flow. `false`: the flow goes on, and the failure is still reported — as
   * an error chunk in a stream, in `response.metadata.errors` otherwise.
   * @default true
   */
  raise_exception: boolean;
  /**
   * Prompt language suffix (`name_<language>` prompts are preferred).
   * @default the config's `language`
   */
  language?: string;
  /**
   * A YAML prompt file that replaces the op's own.
   * @default none: the class's `promptFile` and `prompts`
   */
  prompt_path?: string;
  /**
   * Lets the op keep results on disk: `await this.cache(key, compute)` returns a fresh stored result
   * for `key` instead of computing it (the built-in model ops cache their model calls).
   * @default false
   */
  enable_cache: boolean;
  /**
   * The cache folder, relative to the working directory; `{op_name}` becomes the op's short name.
   * @default "cache/{op_name}"
   */
  cache_path: string;
  /**
   * How long a cached result stays fresh, in hours; 0: it never expires.
   * @default 0.1
   */
  cache_expire_hours: number;
}

const COMMON_DEFAULTS: CommonOpOptions = {
  llm: 'default',
  embedding_model: 'default',
  vector_store: 'default',
  max_retries: 1,
  raise_exception: true,
  enable_cache: false,
  cache_path: 'cache/{op_name}',
  cache_expire_hours: 0.1,
};

const SHARED_COMMON_DEFAULTS: CommonOpOptions = Object.freeze({ ...COMMON_DEFAULTS });

const COMMON_TYPES: Record<keyof CommonOpOptions, 'string' | 'boolean' | 'integer' | 'number'> = {
  name: 'string',
  llm: 'string',
  embedding_model: 'string',
  vector_store: 'string',
  max_retries: 'integer',
  raise_exception: 'boolean',
  language: 'string',
  prompt_path: 'string',
  enable_cache: 'boolean',
  cache_path: 'string',
  cache_expire_hours: 'number',
};

/**
 * FlowLLM op options the port accepts in expressions (so FlowLLM configs load) but does not act on:
 * never model parameters, so they never reach a provider's request body. A class that declares one in
 * `static options` gets it as a named option instead.
 *
 * @example
 * IGNORED_FLOWLLM_OPTIONS.has('async_mode'); // true: `ChatOp(async_mode=True)` sends no `async_mode`
 */
export const IGNORED_FLOWLLM_OPTIONS: ReadonlySet<string> = new Set([
  'async_mode',
  'enable_multithread',
  'save_answer',
  'enable_print_output',
  'max_print_output_length',
  'ops',
  'tool_index',
  'input_schema_mapping',
  'output_schema_mapping',
  'input_keys',
  'output_keys',
]);

/** Expression kwargs split into common options, the class's named options and free params. */
export interface SplitKwargs {
  common: CommonOpOptions;
  named: Record<string, unknown>;
  params: Record<string, unknown>;
}

/**
 * Splits kwargs: common option names first, then the op class's declared options (checked against
 * the type of their default), FlowLLM options the port ignores dropped, and everything else into
 * `params` (model parameters).
 *
 * @example
 * splitKwargs('ChatOp', { llm: 'fast', temperature: 0.2 }, {}) // params: { temperature: 0.2 }
 */
export function splitKwargs(
  className: string,
  kwargs: Record<string, unknown>,
  declared: Record<string, unknown>,
): SplitKwargs {
  // Every request builds its ops anew, and most kwargs leave these at their defaults: such ops share
  // the (frozen) defaults instead of holding copies for as long as the request runs.
  let common: CommonOpOptions = SHARED_COMMON_DEFAULTS;
  let named: Record<string, unknown> = declared;
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    if (Object.hasOwn(COMMON_TYPES, key)) {
      const expected = COMMON_TYPES[key as keyof CommonOpOptions];
      checkType(className, key, value, expected);
      if (common === SHARED_COMMON_DEFAULTS) common = { ...COMMON_DEFAULTS };
      (common as unknown as Record<string, unknown>)[key] = value;
    } else if (Object.hasOwn(declared, key)) {
      const fallback = declared[key];
      if (fallback !== null && fallback !== undefined) checkType(className, key, value, typeName(fallback));
      if (named === declared) named = { ...declared };
      named[key] = value;
    } else if (!IGNORED_FLOWLLM_OPTIONS.has(key)) {
      params[key] = value;
    }
  }
  if (common.max_retries < 1) {
    throw new OpConfigError(`${className}: option 'max_retries' must be at least 1`);
  }
  if (!(common.cache_expire_hours >= 0)) {
    throw new OpConfigError(`${className}: option 'cache_expire_hours' must be 0 (no expiry) or more`);
  }
  return { common, named, params };
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'number';
  return typeof value;
}

function checkType(className: string, key: string, value: unknown, expected: string): void {
  const ok =
    expected === 'integer'
      ? Number.isInteger(value)
      : expected === 'array'
        ? Array.isArray(value)
        : expected === 'object'
          ? typeof value === 'object' && value !== null && !Array.isArray(value)
          : typeof value === expected;
  if (!ok) {
    const found = value === null ? 'None' : Array.isArray(value) ? 'array' : typeof value;
    throw new OpConfigError(`${className}: option '${key}' expects ${expected}, found ${found}`);
  }
}
