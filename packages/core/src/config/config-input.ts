// What a user may write in a config object, computed from the schema (schema.ts) and the built-in
// backends' keys (builtin-backend-keys.ts): every key with a default optional, `required` keys
// required, enums as literal unions, and each model entry's extra keys chosen by its `backend`.
//
// There is deliberately no catch-all for unknown backend names: a `backend: string` member would also
// accept `backend: 'mock'` with any key, and typos in built-in entries would compile again. Custom
// backends are declared instead (see `CustomLlmBackends`).
import type { BUILTIN_BACKEND_KEYS } from './builtin-backend-keys.js';
import type { BackendKind } from './field-spec.js';
import type { CONFIG_SCHEMA, FLOW_SCHEMA, INPUT_FIELD_SCHEMA } from './schema.js';
import type { InputFields, InputOf, Simplify } from './spec-types.js';

/**
 * The extra keys of your own `llm` backends, by backend name, for typed config objects. Declare them
 * once with module augmentation; without it only the built-in backends are accepted.
 *
 * @example
 * declare module '@flowllm/core' {
 *   interface CustomLlmBackends {
 *     echo: { prefix?: string };
 *   }
 * }
 * defineConfig({ llm: { default: { backend: 'echo', prefix: '> ' } } });
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by users through module augmentation
export interface CustomLlmBackends {}

/**
 * The extra keys of your own `embedding_model` backends, by backend name (see `CustomLlmBackends`).
 *
 * @example
 * declare module '@flowllm/core' {
 *   interface CustomEmbeddingModelBackends {
 *     hashed: { dimensions?: number };
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by users through module augmentation
export interface CustomEmbeddingModelBackends {}

/**
 * The extra keys of your own `vector_store` backends, by backend name (see `CustomLlmBackends`).
 *
 * @example
 * declare module '@flowllm/core' {
 *   interface CustomVectorStoreBackends {
 *     sqlite: { file: string };
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by users through module augmentation
export interface CustomVectorStoreBackends {}

type Fields = (typeof CONFIG_SCHEMA)['fields'];
type Builtin = typeof BUILTIN_BACKEND_KEYS;
interface Custom {
  llm: CustomLlmBackends;
  embedding_model: CustomEmbeddingModelBackends;
  vector_store: CustomVectorStoreBackends;
}

/** One entry per backend name: `backend` is the discriminant, its keys sit beside the base keys. */
type Entries<K extends BackendKind> = {
  [B in keyof Builtin[K] | keyof Custom[K]]: Simplify<
    { backend: B } & InputFields<Omit<Fields[K]['values']['fields'], 'backend'>> &
      (B extends keyof Builtin[K] ? InputFields<Builtin[K][B]> : {}) &
      (B extends keyof Custom[K] ? Custom[K][B] : {})
  >;
}[keyof Builtin[K] | keyof Custom[K]];

interface EntryInputs {
  llm: Entries<'llm'>;
  embedding_model: Entries<'embedding_model'>;
  vector_store: Entries<'vector_store'>;
}

/**
 * One request field of a flow's `input_schema`, as written.
 *
 * @example
 * const query: InputFieldInput = { type: 'string', description: 'the question' };
 */
export interface InputFieldInput extends Omit<InputOf<typeof INPUT_FIELD_SCHEMA, never>, 'items'> {
  items?: InputFieldInput;
}

/**
 * One flow, as written: `flow_content` is required, `stream: true` makes it a streaming flow.
 *
 * @example
 * const chat: FlowConfigInput = { flow_content: 'StreamChatOp()', stream: true };
 */
export interface FlowConfigInput
  extends Omit<InputFields<(typeof FLOW_SCHEMA)['fields']>, 'input_schema' | 'output_schema'> {
  input_schema?: Record<string, InputFieldInput>;
  output_schema?: Record<string, InputFieldInput>;
}

/**
 * A config object as written (what `my_stream_config.yaml` holds): every key the schema knows, with
 * the ones that have defaults optional. Misspelt keys and wrong types are compile errors in object
 * literals.
 *
 * @example
 * const config: FlowllmConfigInput = {
 *   flow: { chat: { flow_content: 'GenSystemPromptOp() >> StreamChatOp()', stream: true } },
 *   llm: { default: { backend: 'openai_compatible', model_name: 'qwen3-30b-a3b-instruct-2507' } },
 * };
 */
export interface FlowllmConfigInput extends Omit<InputFields<Fields, EntryInputs>, 'flow'> {
  flow?: Record<string, FlowConfigInput>;
}

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * A config object layered over others (an element of `createFlowApp`'s `config` list): like
 * {@link FlowllmConfigInput} with every key optional, so it may change one key of a flow or model
 * defined in an earlier layer. Unknown keys are still compile errors.
 *
 * @example
 * const layer: FlowllmConfigLayer = { llm: { default: { model_name: 'qwen-max' } } };
 */
export type FlowllmConfigLayer = DeepPartial<FlowllmConfigInput>;

/**
 * Returns `config` unchanged: a typed way to write a config object, with autocomplete and compile
 * errors for unknown keys and wrong values.
 *
 * @example
 * export default defineConfig({
 *   flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
 *   llm: { default: { backend: 'mock', answer: 'Hi {input}!' } },
 * });
 */
export function defineConfig(config: FlowllmConfigInput): FlowllmConfigInput {
  return config;
}
