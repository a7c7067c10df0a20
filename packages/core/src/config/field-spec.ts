/**
 * The schema language of the configuration: one `FieldSpec` per key. Absent keys take `default`
 * (objects are then walked to fill their own defaults); `required` keys must be present; keys
 * without either are simply left out.
 *
 * @example
 * const port: FieldSpec = { type: 'integer', min: 0, max: 65535, default: 8002 };
 */
export type FieldSpec =
  | StringSpec
  | IntegerSpec
  | NumberSpec
  | BooleanSpec
  | ArraySpec
  | ObjectSpec
  | RecordSpec
  | AnySpec;

/**
 * What every field spec may say.
 *
 * @example
 * const common: CommonSpec = { required: true, description: 'the model to call' };
 */
export interface CommonSpec {
  /** The key must be present (a missing key is an error naming it). */
  required?: boolean;
  /** `null` is accepted as well as the type. */
  nullable?: boolean;
  /** Used when the key is absent. */
  default?: unknown;
  description?: string;
}

/**
 * A string, optionally limited to `enum` values or required to be non-blank.
 *
 * @example
 * const backend: StringSpec = { type: 'string', enum: ['http', 'mcp', 'cmd'], default: 'http' };
 */
export interface StringSpec extends CommonSpec {
  type: 'string';
  enum?: readonly string[];
  nonEmpty?: boolean;
}

/**
 * A whole number within `[min, max]`.
 *
 * @example
 * const workers: IntegerSpec = { type: 'integer', min: 1, default: 128 };
 */
export interface IntegerSpec extends CommonSpec {
  type: 'integer';
  min?: number;
  max?: number;
}

/**
 * A finite number; `exclusiveMin: 0` means "greater than zero".
 *
 * @example
 * const timeout: NumberSpec = { type: 'number', exclusiveMin: 0, nullable: true, default: null };
 */
export interface NumberSpec extends CommonSpec {
  type: 'number';
  min?: number;
  exclusiveMin?: number;
  max?: number;
}

/**
 * `true` or `false`.
 *
 * @example
 * const stream: BooleanSpec = { type: 'boolean', default: false };
 */
export interface BooleanSpec extends CommonSpec {
  type: 'boolean';
}

/**
 * A list; `items` checks each element (any element when absent).
 *
 * @example
 * const names: ArraySpec = { type: 'array', items: { type: 'string' }, default: [] };
 */
export interface ArraySpec extends CommonSpec {
  type: 'array';
  items?: FieldSpec;
}

/**
 * A mapping with known keys; other keys are warned about and dropped. With `backendKind`, the
 * entry's `backend` key selects extra keys from the registered backends of that kind.
 *
 * @example
 * const http: ObjectSpec = { type: 'object', default: {}, fields: { port: { type: 'integer', default: 8002 } } };
 */
export interface ObjectSpec extends CommonSpec {
  type: 'object';
  fields: Record<string, FieldSpec>;
  backendKind?: BackendKind;
}

/**
 * A free mapping: any keys (optionally matching `keyPattern`), each value checked by `values`
 * (anything when absent). Keys of a record are never "unknown".
 *
 * @example
 * const params: RecordSpec = { type: 'record', default: {} };
 */
export interface RecordSpec extends CommonSpec {
  type: 'record';
  values?: FieldSpec;
  keyPattern?: RegExp;
  /** Says why keys must match `keyPattern`, for the error message. */
  keyHint?: string;
}

/**
 * Any value at all.
 *
 * @example
 * const fallback: AnySpec = { type: 'any' };
 */
export interface AnySpec extends CommonSpec {
  type: 'any';
}

/**
 * The kinds of model entries whose keys depend on their backend.
 *
 * @example
 * const kind: BackendKind = 'vector_store';
 */
export type BackendKind = 'llm' | 'embedding_model' | 'vector_store';

/**
 * The extra keys one backend accepts beside the base entry keys, as field specs.
 *
 * @example
 * const mockLlmKeys: BackendKeys = { token_delay_ms: { type: 'integer', min: 0, default: 0 }, answer: { type: 'string' } };
 */
export type BackendKeys = Record<string, FieldSpec>;

/**
 * The registered backends of each kind, by name. A `backend` not listed here is an error.
 *
 * @example
 * const backends: ConfigBackends = { llm: { mock: {} }, embedding_model: { mock: {} }, vector_store: { memory: {} } };
 */
export type ConfigBackends = Record<BackendKind, Record<string, BackendKeys>>;
