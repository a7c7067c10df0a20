// The JSON Schema of a config file, computed from the same schema runtime validation walks, for
// YAML editors (`# yaml-language-server: $schema=…`). packages/core/config.schema.json is its output
// for the built-in backends (test/config/json-schema.test.ts checks it is current, and rewrites it
// with FLOWLLM_UPDATE_SCHEMA=1: `pnpm --filter @flowllm/core run config-schema:update`).
import type { BackendKind, ConfigBackends, FieldSpec, ObjectSpec } from './field-spec.js';
import { CONFIG_SCHEMA, INPUT_FIELD_SCHEMA } from './schema.js';

/** A JSON Schema (draft-07) node. */
type JsonSchema = { [keyword: string]: unknown };

/** Specs that refer to themselves, written once under `definitions`. */
const DEFINITIONS = new Map<FieldSpec, string>([[INPUT_FIELD_SCHEMA, 'input_field']]);

/**
 * The JSON Schema of a config file with `backends`' extra keys on model entries. A model entry naming
 * another backend (one registered by the app) is not checked beyond its base keys.
 *
 * @example
 * configJsonSchema(builtinBackends.configBackends()).properties; // { backend: …, http: …, flow: … }
 */
export function configJsonSchema(backends: ConfigBackends): JsonSchema {
  const definitions = Object.fromEntries(
    [...DEFINITIONS].map(([spec, name]) => [name, toJsonSchema(spec, backends, spec)]),
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'flowllm config',
    description: 'A flowllm (FlowLLM for Node) config file; see docs/config.md.',
    ...toJsonSchema(CONFIG_SCHEMA, backends),
    definitions,
  };
}

function toJsonSchema(spec: FieldSpec, backends: ConfigBackends, defining?: FieldSpec): JsonSchema {
  const name = DEFINITIONS.get(spec);
  if (name && spec !== defining) return { $ref: `#/definitions/${name}` };
  const schema: JsonSchema = { ...typed(spec, backends) };
  if (spec.description) schema.description = spec.description;
  if (spec.default !== undefined) schema.default = spec.default;
  return schema;
}

function typed(spec: FieldSpec, backends: ConfigBackends): JsonSchema {
  const type = (name: string) => (spec.nullable ? [name, 'null'] : name);
  switch (spec.type) {
    case 'any':
      return {};
    case 'boolean':
      return { type: type('boolean') };
    case 'string':
      return {
        type: type('string'),
        ...(spec.enum && { enum: spec.nullable ? [...spec.enum, null] : [...spec.enum] }),
        ...(spec.nonEmpty && { pattern: '\\S' }),
      };
    case 'integer':
    case 'number':
      return {
        type: type(spec.type),
        ...(spec.min !== undefined && { minimum: spec.min }),
        ...(spec.type === 'number' &&
          spec.exclusiveMin !== undefined && { exclusiveMinimum: spec.exclusiveMin }),
        ...(spec.max !== undefined && { maximum: spec.max }),
      };
    case 'array':
      return { type: type('array'), ...(spec.items && { items: toJsonSchema(spec.items, backends) }) };
    case 'record':
      return {
        type: type('object'),
        ...(spec.keyPattern && { propertyNames: { pattern: spec.keyPattern.source } }),
        ...(spec.values && { additionalProperties: toJsonSchema(spec.values, backends) }),
      };
    case 'object':
      return spec.backendKind ? modelEntry(spec, spec.backendKind, backends) : object(spec.fields, backends);
  }
}

function object(fields: Record<string, FieldSpec>, backends: ConfigBackends): JsonSchema {
  const required = Object.keys(fields).filter((key) => fields[key]?.required);
  return {
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(fields).map(([key, field]) => [key, toJsonSchema(field, backends)]),
    ),
    ...(required.length > 0 && { required }),
    additionalProperties: false,
  };
}

/**
 * A model entry: the base keys, the registered backend names offered for `backend`, and for each
 * registered backend an `if backend is X then exactly these keys` rule. Unregistered names (an app's
 * own backends) get no rule, so their entries are not flagged.
 */
function modelEntry(spec: ObjectSpec, kind: BackendKind, backends: ConfigBackends): JsonSchema {
  const registered = backends[kind];
  const base = object(spec.fields, backends);
  const names = Object.keys(registered);
  const { backend, ...baseProperties } = base.properties as Record<string, JsonSchema>;
  return {
    type: 'object',
    properties: { backend: { ...backend, anyOf: [{ enum: names }, { type: 'string' }] }, ...baseProperties },
    required: base.required,
    allOf: names.map((name) => ({
      if: { properties: { backend: { const: name } }, required: ['backend'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
      then: object({ ...spec.fields, ...registered[name] }, backends),
    })),
  };
}
