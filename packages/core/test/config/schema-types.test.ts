import { describe, expectTypeOf, it } from 'vitest';
import type {
  CmdConfig,
  FlowConfig,
  FlowllmConfig,
  HttpConfig,
  InputFieldConfig,
  LlmConfig,
  McpConfig,
  VectorStoreConfig,
} from '../../src/config/config-types.js';
import type { CONFIG_SCHEMA, FLOW_SCHEMA, INPUT_FIELD_SCHEMA } from '../../src/config/schema.js';

// Checked by `tsc` (test/ is in the package tsconfig): the typed config and the schema list the
// same keys, so adding a key to one without the other fails the typecheck.
type Fields = (typeof CONFIG_SCHEMA)['fields'];
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };

describe('FlowllmConfig matches CONFIG_SCHEMA', () => {
  it('has the same keys at every level', () => {
    expectTypeOf<keyof FlowllmConfig>().toEqualTypeOf<keyof Fields>();
    expectTypeOf<keyof HttpConfig>().toEqualTypeOf<keyof Fields['http']['fields']>();
    expectTypeOf<keyof McpConfig>().toEqualTypeOf<keyof Fields['mcp']['fields']>();
    expectTypeOf<keyof CmdConfig>().toEqualTypeOf<keyof Fields['cmd']['fields']>();
    expectTypeOf<keyof FlowConfig>().toEqualTypeOf<keyof (typeof FLOW_SCHEMA)['fields']>();
    expectTypeOf<keyof InputFieldConfig>().toEqualTypeOf<keyof (typeof INPUT_FIELD_SCHEMA)['fields']>();
    expectTypeOf<KnownKeys<LlmConfig>>().toEqualTypeOf<keyof Fields['llm']['values']['fields']>();
    expectTypeOf<KnownKeys<VectorStoreConfig>>().toEqualTypeOf<
      keyof Fields['vector_store']['values']['fields']
    >();
  });

  it('types enums as unions', () => {
    expectTypeOf<FlowllmConfig['backend']>().toEqualTypeOf<'http' | 'mcp' | 'cmd'>();
    expectTypeOf<InputFieldConfig['type']>().toEqualTypeOf<
      'string' | 'array' | 'integer' | 'number' | 'boolean' | 'object'
    >();
  });
});
