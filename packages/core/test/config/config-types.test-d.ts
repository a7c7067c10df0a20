// The validated config types are computed from the schema; these checks, run by `tsc` (the package
// typecheck compiles test/), pin down what the code reading a validated config relies on.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  CmdConfig,
  CorsConfig,
  FlowConfig,
  FlowllmConfig,
  HttpConfig,
  InputFieldConfig,
  InputFieldType,
  LlmConfig,
  McpConfig,
  ResumeSettings,
  VectorStoreConfig,
} from '../../src/config/config-types.js';
import type { CONFIG_SCHEMA } from '../../src/config/schema.js';
import type { ResumeConfig } from '../../src/resume/event-log.js';

describe('the validated config types', () => {
  it('have every schema key, always set (defaults are filled in)', () => {
    expectTypeOf<keyof FlowllmConfig>().toEqualTypeOf<keyof (typeof CONFIG_SCHEMA)['fields']>();
    expectTypeOf<Required<FlowllmConfig>>().toEqualTypeOf<FlowllmConfig>();
    expectTypeOf<Required<HttpConfig>>().toEqualTypeOf<HttpConfig>();
    expectTypeOf<HttpConfig['port']>().toEqualTypeOf<number>();
    expectTypeOf<HttpConfig['cors']>().toEqualTypeOf<CorsConfig>();
    expectTypeOf<CorsConfig['allow_origins']>().toEqualTypeOf<string[]>();
    expectTypeOf<CmdConfig>().toEqualTypeOf<{ flow: string; params: Record<string, unknown> }>();
    // The store contract's view of `resume` is exactly the validated block.
    expectTypeOf<ResumeSettings>().toEqualTypeOf<ResumeConfig>();
  });

  it('type enums as unions and nullable keys with null', () => {
    expectTypeOf<FlowllmConfig['backend']>().toEqualTypeOf<'http' | 'mcp' | 'cmd'>();
    expectTypeOf<McpConfig['transport']>().toEqualTypeOf<'' | 'stdio' | 'http' | 'sse' | 'streamable-http'>();
    expectTypeOf<InputFieldType>().toEqualTypeOf<
      'string' | 'array' | 'integer' | 'number' | 'boolean' | 'object'
    >();
    expectTypeOf<FlowConfig['timeout']>().toEqualTypeOf<number | null>();
    expectTypeOf<FlowConfig['stream']>().toEqualTypeOf<boolean>();
  });

  it('keep keys without a default optional, and input fields recursive', () => {
    expectTypeOf<FlowllmConfig['flow']>().toEqualTypeOf<Record<string, FlowConfig>>();
    expectTypeOf<FlowConfig['input_schema']>().toEqualTypeOf<Record<string, InputFieldConfig>>();
    expectTypeOf<FlowConfig['output_schema']>().toEqualTypeOf<Record<string, InputFieldConfig> | undefined>();
    expectTypeOf<FlowConfig['cache_expire_hours']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<LlmConfig['token_count']>().toEqualTypeOf<
      { backend: 'base' | 'openai' | 'hf'; model_name: string; params: Record<string, unknown> } | undefined
    >();
    expectTypeOf<HttpConfig['timeout_keep_alive']>().toEqualTypeOf<number>();
    expectTypeOf<InputFieldConfig['items']>().toEqualTypeOf<InputFieldConfig | undefined>();
    expectTypeOf<InputFieldConfig['enum']>().toEqualTypeOf<unknown[] | undefined>();
  });

  it('let model entries carry their backend keys beside the base keys', () => {
    expectTypeOf<LlmConfig['backend']>().toEqualTypeOf<string>();
    expectTypeOf<LlmConfig['params']>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<LlmConfig['token_delay_ms']>().toEqualTypeOf<unknown>();
    expectTypeOf<VectorStoreConfig['embedding_model']>().toEqualTypeOf<string>();
  });
});
