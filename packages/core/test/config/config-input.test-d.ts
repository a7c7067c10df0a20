// Type tests of config objects, checked by `tsc` (the package typecheck compiles test/): every
// `@ts-expect-error` below fails the typecheck if its line compiles, so each proves a compile error.
import { describe, expectTypeOf, it } from 'vitest';
import type { BUILTIN_BACKEND_KEYS } from '../../src/config/builtin-backend-keys.js';
import {
  type CustomVectorStoreBackends,
  defineConfig,
  type FlowllmConfigInput,
} from '../../src/config/config-input.js';
import type { CONFIG_SCHEMA } from '../../src/config/schema.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { createFlowService, type FlowServiceSource } from '../../src/http/service-source.js';

type LlmEntry = NonNullable<FlowllmConfigInput['llm']>[string];
type MockLlmEntry = Extract<LlmEntry, { backend: 'mock' }>;

describe('a config object passed to createFlowApp', () => {
  it('rejects the misspelt keys and wrong values of the issue example, one by one', () => {
    createFlowApp({
      config: {
        // @ts-expect-error `flw` is not a config key
        flw: { chat: { flow_content: 'ChatOp()' } },
      },
    });
    createFlowApp({
      config: {
        flow: {
          chat: {
            flow_content: 'ChatOp()',
            // @ts-expect-error `flow_contnt` is not a flow key
            flow_contnt: 1,
          },
        },
      },
    });
    createFlowApp({
      // @ts-expect-error `stream` is a boolean, not 'yes' (a wrong value is reported at `config`)
      config: { flow: { chat: { flow_content: 'ChatOp()', stream: 'yes' } } },
    });
    defineConfig({
      flow: {
        chat: {
          flow_content: 'ChatOp()',
          // @ts-expect-error `stream` is a boolean, not 'yes'
          stream: 'yes',
        },
      },
    });
    createFlowApp({
      config: {
        // @ts-expect-error `prot` is not an http key
        http: { prot: 'x' },
      },
    });
  });

  it('requires `flow_content` and `backend`, and checks enums and nested input fields', () => {
    // @ts-expect-error a flow needs flow_content
    createFlowApp({ config: { flow: { chat: { stream: true } } } });
    // @ts-expect-error 'grpc' is not one of http | mcp | cmd
    createFlowApp({ config: { backend: 'grpc' } });
    createFlowApp({
      config: {
        flow: {
          chat: {
            flow_content: 'ChatOp()',
            input_schema: {
              tags: {
                type: 'array',
                // @ts-expect-error `tpye` is not an input field key, also inside `items`
                items: { tpye: 'string' },
              },
            },
          },
        },
      },
    });
  });

  it('checks each model entry against the keys of its backend', () => {
    createFlowApp({
      config: {
        llm: {
          default: {
            backend: 'mock',
            // @ts-expect-error `answr` is not a key of the mock backend
            answr: 'hi',
          },
        },
      },
    });
    createFlowApp({
      config: {
        llm: {
          default: {
            backend: 'openai_compatible',
            model_name: 'qwen-max',
            // @ts-expect-error `api_kye` is not a key of the openai_compatible backend
            api_kye: 'sk-…',
          },
        },
      },
    });
    createFlowApp({
      config: {
        llm: {
          default: {
            backend: 'anthropic',
            // @ts-expect-error `token_delay_ms` belongs to the mock backend, not to anthropic
            token_delay_ms: 5,
          },
        },
      },
    });
    createFlowApp({
      // @ts-expect-error `dimensions` is a number (a wrong value is reported at `config`)
      config: { embedding_model: { default: { backend: 'openai_compatible', dimensions: '512' } } },
    });
    defineConfig({
      embedding_model: {
        default: {
          backend: 'openai_compatible',
          // @ts-expect-error `dimensions` is a number
          dimensions: '512',
        },
      },
    });
    createFlowApp({
      // @ts-expect-error `opnai` is neither a built-in nor a declared backend
      config: { llm: { default: { backend: 'opnai' } } },
    });
  });

  it('accepts a full, valid config', () => {
    createFlowApp({
      config: {
        backend: 'http',
        app_name: 'FlowLLM',
        thread_pool_max_workers: 128,
        language: '',
        http: {
          host: '0.0.0.0',
          port: 8002,
          heartbeat: 15,
          body_limit: 1_048_576,
          expose_errors: false,
          status_wait: 1,
          shutdown_timeout: 10,
          body_timeout: 30,
          max_streams: 1000,
          cors: {
            enabled: true,
            allow_origins: ['https://app.example'],
            allow_credentials: true,
            max_age: 600,
          },
        },
        mcp: { transport: 'streamable-http', host: '0.0.0.0', port: 8001 },
        cmd: { flow: '', params: {} },
        flow: {
          demo_stream_http_flow: {
            flow_content: 'GenSystemPromptOp() >> StreamChatOp()',
            stream: true,
            description: 'AI 对话助手(流式返回)',
            timeout: null,
            input_schema: {
              query: { type: 'string', description: '用户问题', required: true },
              tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, default: [] },
            },
          },
        },
        llm: {
          default: {
            backend: 'openai_compatible',
            model_name: 'qwen3-30b-a3b-instruct-2507',
            params: { temperature: 0.6 },
            max_retries: 2,
            timeout: 120,
          },
          claude: { backend: 'anthropic', model_name: 'claude-sonnet-4-5', api_key: 'sk-…' },
          offline: {
            backend: 'mock',
            answer: 'Hi {input}!',
            token_delay_ms: 30,
            script: [{ match: 'weather', tool_calls: [{ name: 'get_weather', arguments: {} }] }],
          },
        },
        embedding_model: {
          default: { backend: 'openai_compatible', model_name: 'text-embedding-v4', dimensions: 1024 },
          offline: { backend: 'mock', dimensions: 64 },
        },
        vector_store: {
          default: { backend: 'memory', embedding_model: 'default' },
          notes: { backend: 'local', store_dir: './notes' },
        },
        enabled_flows: [],
        disabled_flows: [],
        metadata: { team: 'search' },
      },
    });
  });

  it('lets a layer in a config list leave out keys an earlier layer set, but not misspell them', () => {
    createFlowApp({
      config: [
        'my_stream_config',
        { llm: { default: { model_name: 'qwen-max' } } },
        { http: { port: 9000 } },
      ],
    });
    createFlowApp({
      config: [
        'my_stream_config',
        {
          // @ts-expect-error `htp` is not a config key, also in a layer
          htp: { port: 9000 },
        },
      ],
    });
  });
});

describe('a config object passed to createFlowService (and so to every adapter)', () => {
  it('is typed the same way', () => {
    createFlowService({
      // @ts-expect-error `flw` is not a config key
      flw: {},
    });
    const source: FlowServiceSource = {
      http: {
        // @ts-expect-error `prot` is not an http key
        prot: 8002,
      },
    };
    expectTypeOf(source).toEqualTypeOf<FlowServiceSource>();
  });
});

describe('defineConfig', () => {
  it('returns its argument, typed for autocomplete', () => {
    const config = defineConfig({ flow: { chat: { flow_content: 'StreamChatOp()', stream: true } } });
    expectTypeOf(config).toEqualTypeOf<FlowllmConfigInput>();
    expectTypeOf(defineConfig).parameter(0).toEqualTypeOf<FlowllmConfigInput>();
  });

  it('offers every key of the schema, with literal unions for enums', () => {
    expectTypeOf<keyof FlowllmConfigInput>().toEqualTypeOf<keyof (typeof CONFIG_SCHEMA)['fields']>();
    expectTypeOf<FlowllmConfigInput['backend']>().toEqualTypeOf<'http' | 'mcp' | 'cmd' | undefined>();
    type Flow = NonNullable<FlowllmConfigInput['flow']>[string];
    expectTypeOf<Flow['stream']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Flow['flow_content']>().toEqualTypeOf<string>();
    expectTypeOf<Flow['timeout']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<Flow['output_schema']>().toEqualTypeOf<Flow['input_schema']>();
    expectTypeOf<Flow['enable_cache']>().toEqualTypeOf<boolean | undefined>();
  });

  it('offers the keys of each built-in backend beside the base keys', () => {
    expectTypeOf<LlmEntry['backend']>().toEqualTypeOf<keyof (typeof BUILTIN_BACKEND_KEYS)['llm']>();
    expectTypeOf<keyof MockLlmEntry>().toEqualTypeOf<
      'backend' | 'model_name' | 'params' | 'token_count' | keyof (typeof BUILTIN_BACKEND_KEYS)['llm']['mock']
    >();
    expectTypeOf<NonNullable<LlmEntry['token_count']>['backend']>().toEqualTypeOf<
      'base' | 'openai' | 'hf' | undefined
    >();
    type VectorStore = NonNullable<FlowllmConfigInput['vector_store']>[string];
    // Declared backends join the built-in ones (test/engine/resources.test.ts declares `list`).
    expectTypeOf<VectorStore['backend']>().toEqualTypeOf<
      'memory' | 'local' | keyof CustomVectorStoreBackends
    >();
  });
});
