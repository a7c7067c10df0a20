import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { SourceMap } from '../../src/config/source-map.js';
import { validateConfig } from '../../src/config/validate.js';
import { FlowllmError } from '../../src/errors.js';
import { testBackends, thrown } from './fixtures/test-backends.js';

const validate = (raw: unknown) => validateConfig(raw, { backends: testBackends });
const issuesOf = (raw: unknown) => {
  const error = thrown(() => validate(raw));
  expect(ConfigError.isInstance(error)).toBe(true);
  return (error as ConfigError).issues;
};
const flow = (extra: Record<string, unknown> = {}) => ({ flow_content: 'ChatOp()', ...extra });

describe('validateConfig defaults', () => {
  it('fills every default of an empty config', () => {
    const { config, warnings } = validate({});
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      backend: 'http',
      app_name: 'FlowLLM',
      thread_pool_max_workers: 128,
      language: '',
      http: {
        host: '0.0.0.0',
        port: 8002,
        heartbeat: 15,
        body_limit: 1_048_576,
        docs: true,
        expose_errors: false,
        status_wait: 1,
        shutdown_timeout: 10,
        body_timeout: 30,
        max_streams: 1000,
        timeout_keep_alive: 3600,
        limit_concurrency: 1000,
        cors: {
          enabled: true,
          allow_origins: ['*'],
          allow_methods: ['*'],
          allow_headers: ['*'],
          allow_credentials: false,
          expose_headers: [],
          max_age: 600,
        },
      },
      mcp: {
        transport: 'sse',
        host: '0.0.0.0',
        port: 8001,
        stateless: false,
        allowed_origins: [],
        allowed_hosts: [],
      },
      resume: {
        backend: 'none',
        redis_url: '',
        key_prefix: 'flowllm',
        ttl_seconds: 3600,
        max_events_per_run: 20000,
        detach_seconds: 60,
        retry_ms: 1000,
        lease_seconds: 5,
      },
      ui_stream: { enabled: true },
      telemetry: { enabled: true, record_content: false, timeline: false },
      openai_facade: { enabled: false, path: '/v1', api_keys: [], reasoning_field: 'reasoning_content' },
      cmd: { flow: '', params: {} },
      flow: {},
      llm: {},
      embedding_model: {},
      vector_store: {},
      enabled_flows: [],
      disabled_flows: [],
      metadata: {},
      external_mcp: {},
      enable_logo: true,
      init_logger: true,
      ray_max_workers: -1,
    });
  });

  it('fills flow, input field and nested items defaults (required defaults to true)', () => {
    const { config } = validate({
      flow: {
        demo: flow({
          input_schema: {
            query: {},
            tags: { type: 'array', required: false, items: { description: 'a tag' } },
          },
        }),
      },
    });
    expect(config.flow.demo).toEqual({
      flow_content: 'ChatOp()',
      stream: false,
      description: '',
      timeout: 600,
      output_schema: {},
      enable_cache: false,
      cache_path: 'cache/{flow_name}',
      cache_expire_hours: 0.1,
      input_schema: {
        query: { type: 'string', description: '', required: true },
        tags: {
          type: 'array',
          description: '',
          required: false,
          items: { type: 'string', description: 'a tag', required: true },
        },
      },
    });
  });

  it('fills model entry defaults and the backend-specific defaults', () => {
    const { config } = validate({
      llm: { default: { backend: 'mock', answer: 'hi' } },
      embedding_model: { default: { backend: 'mock' } },
      vector_store: { docs: { backend: 'fake_store' } },
    });
    expect(config.llm.default).toEqual({
      backend: 'mock',
      model_name: '',
      params: {},
      token_delay_ms: 0,
      answer: 'hi',
    });
    expect(config.embedding_model.default).toEqual({
      backend: 'mock',
      model_name: '',
      params: {},
      dimensions: 8,
    });
    expect(config.vector_store.docs).toEqual({
      backend: 'fake_store',
      embedding_model: 'default',
      params: {},
      collection: 'nodes',
    });
  });

  it('keeps free maps as they are: params, metadata, cmd.params, input enum and default', () => {
    const { config, warnings } = validate({
      metadata: { anything: { deep: [1] } },
      cmd: { params: { text: 'hi', n: 2 } },
      llm: { default: { backend: 'mock', params: { temperature: 0.6, strem: true } } },
      flow: { demo: flow({ input_schema: { mood: { enum: ['a', 'b'], default: { nested: 1 } } } }) },
    });
    expect(warnings).toEqual([]);
    expect(config.metadata).toEqual({ anything: { deep: [1] } });
    expect(config.cmd.params).toEqual({ text: 'hi', n: 2 });
    expect(config.llm.default?.params).toEqual({ temperature: 0.6, strem: true });
    expect(config.flow.demo?.input_schema.mood).toMatchObject({ enum: ['a', 'b'], default: { nested: 1 } });
  });

  it('accepts a timeout in seconds, 0 or null (no limit), and defaults to 600', () => {
    expect(validate({ flow: { a: flow({ timeout: 2.5 }) } }).config.flow.a?.timeout).toBe(2.5);
    expect(validate({ flow: { a: flow({ timeout: 0 }) } }).config.flow.a?.timeout).toBe(0);
    expect(validate({ flow: { a: flow({ timeout: null }) } }).config.flow.a?.timeout).toBeNull();
    expect(validate({ flow: { a: flow() } }).config.flow.a?.timeout).toBe(600);
  });
});

describe('validateConfig errors', () => {
  it('names the key path, the expected type and the found type, for every wrong key at once', () => {
    const issues = issuesOf({
      backend: 'http',
      thread_pool_max_workers: 1.5,
      http: { port: '8002' },
      flow: { demo: flow({ stream: 'yes', timeout: 'soon', input_schema: { q: { required: 'no' } } }) },
      enabled_flows: 'demo',
      metadata: [],
    });
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'thread_pool_max_workers: expected integer >= 1, found number',
      'http.port: expected integer from 0 to 65535, found string',
      'flow.demo.stream: expected boolean, found string',
      'flow.demo.timeout: expected number from 0 to 2147483 or null, found string',
      'flow.demo.input_schema.q.required: expected boolean, found string',
      'enabled_flows: expected array, found string',
      'metadata: expected object, found array',
    ]);
  });

  it('rejects out-of-range numbers without printing them', () => {
    const issues = issuesOf({
      http: { port: 70000 },
      thread_pool_max_workers: 0,
      flow: { a: flow({ timeout: -1 }) },
    });
    expect(issues.map((issue) => issue.message)).toEqual([
      'expected integer >= 1, found integer out of range',
      'expected integer from 0 to 65535, found integer out of range',
      'expected number from 0 to 2147483 or null, found number out of range',
    ]);
    expect(issues.map((issue) => issue.message).join('\n')).not.toContain('70000');
  });

  it('reports missing required keys by name', () => {
    const issues = issuesOf({ flow: { demo: { stream: true } }, llm: { default: { model_name: 'x' } } });
    expect(issues).toEqual([
      { path: 'flow.demo.flow_content', message: 'missing required key (expected string)' },
      { path: 'llm.default.backend', message: 'missing required key (expected string)' },
    ]);
  });

  it('rejects an empty flow_content', () => {
    expect(issuesOf({ flow: { demo: { flow_content: '  ' } } })).toEqual([
      { path: 'flow.demo.flow_content', message: 'must not be empty' },
    ]);
  });

  it('reports enum mismatches with the allowed values', () => {
    const issues = issuesOf({
      backend: 'grpc',
      mcp: { transport: 'ws' },
      flow: { a: flow({ input_schema: { q: { type: 'str' } } }) },
    });
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'backend: expected one of http, mcp, cmd, found "grpc"',
      'mcp.transport: expected one of "", stdio, http, sse, streamable-http, found "ws"',
      'flow.a.input_schema.q.type: expected one of string, array, integer, number, boolean, object, found "str"',
    ]);
  });

  it('rejects flow names that cannot be URL paths', () => {
    const issues = issuesOf({ flow: { 'my flow': flow(), '-x': flow(), 'ok.v1-x_2': flow() } });
    expect(issues.map((issue) => issue.path)).toEqual(['flow.my flow', 'flow.-x']);
    expect(issues[0]?.message).toContain('^[A-Za-z0-9_][A-Za-z0-9_.-]*$');
    expect(issues[0]?.message).toContain('URL path');
  });

  it('lists the registered backends for an unknown backend name', () => {
    const issues = issuesOf({
      llm: { default: { backend: 'openai' } },
      embedding_model: { default: { backend: 'mock' } },
      vector_store: { v: { backend: 'memory' } },
    });
    expect(issues).toEqual([
      {
        path: 'llm.default.backend',
        message: 'unknown llm backend "openai"; registered llm backends: mock, openai_compatible',
      },
      {
        path: 'vector_store.v.backend',
        message: 'unknown vector_store backend "memory"; registered vector_store backends: fake_store',
      },
    ]);
    const none = thrown(() =>
      validateConfig(
        { llm: { a: { backend: 'x' } } },
        { backends: { llm: {}, embedding_model: {}, vector_store: {} } },
      ),
    ) as ConfigError;
    expect(none.issues[0]?.message).toBe('unknown llm backend "x"; none are registered');
  });

  it('checks backend-specific keys with the backend spec', () => {
    const issues = issuesOf({ llm: { default: { backend: 'mock', token_delay_ms: -1, answer: 3 } } });
    expect(issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'llm.default.token_delay_ms: expected integer >= 0, found integer out of range',
      'llm.default.answer: expected string, found integer',
    ]);
  });

  it('requires vector_store.*.embedding_model to name an embedding_model entry', () => {
    const issues = issuesOf({
      embedding_model: { default: { backend: 'mock' }, small: { backend: 'mock' } },
      vector_store: {
        docs: { backend: 'fake_store', embedding_model: 'large' },
        other: { backend: 'fake_store' },
      },
    });
    expect(issues).toEqual([
      {
        path: 'vector_store.docs.embedding_model',
        message: 'no embedding_model entry named "large"; configured: default, small',
      },
    ]);
    expect(issuesOf({ vector_store: { v: { backend: 'fake_store' } } })[0]?.message).toBe(
      'no embedding_model entry named "default"; none are configured',
    );
  });

  it('requires enabled_flows and disabled_flows to name flows', () => {
    const issues = issuesOf({
      flow: { a: flow(), b: flow() },
      enabled_flows: ['a', 'c'],
      disabled_flows: ['d'],
    });
    expect(issues).toEqual([
      { path: 'enabled_flows.1', message: '"c" is not a flow; flows: a, b' },
      { path: 'disabled_flows.0', message: '"d" is not a flow; flows: a, b' },
    ]);
  });

  it('rejects a top level that is not an object', () => {
    for (const raw of [[], 'x', null, 3]) {
      expect(issuesOf(raw)[0]?.message).toMatch(/^expected an object of settings at the top level, found /);
    }
  });

  it('is a FlowllmError with code FLOWLLM_CONFIG and lists issues one per line with sources', () => {
    const sources = new SourceMap();
    sources.set(['flow', 'demo', 'stream'], { file: 'my_config.yaml', line: 12, column: 11 });
    sources.set(['http'], { file: 'base.yaml', line: 3, column: 3 });
    const error = thrown(() =>
      validateConfig(
        { http: { port: 'x' }, flow: { demo: flow({ stream: 'yes' }) } },
        { backends: testBackends, sources },
      ),
    ) as ConfigError;
    expect(FlowllmError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('FLOWLLM_CONFIG');
    expect(error.message).toBe(
      [
        'base.yaml:3:3: http.port: expected integer from 0 to 65535, found string',
        'my_config.yaml:12:11: flow.demo.stream: expected boolean, found string',
      ].join('\n'),
    );
  });
});

describe('unknown keys', () => {
  it('warns with a did-you-mean suggestion and drops the key', () => {
    const { config, warnings } = validate({ flow: { demo: flow({ strem: true }) }, htpp: {} });
    expect(warnings).toEqual([
      {
        path: 'flow.demo.strem',
        message: 'unknown key, ignored; did you mean `stream`?',
        suggestion: 'stream',
      },
      { path: 'htpp', message: 'unknown key, ignored; did you mean `http`?', suggestion: 'http' },
    ]);
    expect(config.flow.demo).not.toHaveProperty('strem');
    expect(config).not.toHaveProperty('htpp');
  });

  it('suggests across case and underscore differences, and says nothing when nothing is close', () => {
    const { warnings } = validate({ llm: { default: { backend: 'mock', modelName: 'x', zzzzzz: 1 } } });
    expect(warnings).toEqual([
      {
        path: 'llm.default.modelName',
        message: 'unknown key, ignored; did you mean `model_name`?',
        suggestion: 'model_name',
      },
      { path: 'llm.default.zzzzzz', message: 'unknown key, ignored' },
    ]);
  });

  it('knows the keys of the entry backend, and suggests them', () => {
    const { warnings } = validate({ llm: { default: { backend: 'mock', tokenDelayMs: 1, answer: 'x' } } });
    expect(warnings).toEqual([
      {
        path: 'llm.default.tokenDelayMs',
        message: 'unknown key, ignored; did you mean `token_delay_ms`?',
        suggestion: 'token_delay_ms',
      },
    ]);
  });

  it('does not flag keys of a different backend as valid', () => {
    const { warnings } = validate({ llm: { default: { backend: 'mock', base_url: 'http://x' } } });
    expect(warnings.map((warning) => warning.path)).toEqual(['llm.default.base_url']);
  });
});

describe('secrets', () => {
  const secret = 'sk-FAKE-0123456789abcdef';

  it('never puts a value into an error or warning', () => {
    const error = thrown(() =>
      validate({
        app_name: { key: secret },
        language: [secret],
        llm: { default: { backend: 'mock', answer: { secret } } },
        http: { host: 1, port: secret },
        flow: { demo: { flow_content: 'x', stream: secret, description: secret, timeout: secret } },
      }),
    ) as ConfigError;
    expect(error.issues.length).toBe(7); // description is a string: valid
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.issues)).not.toContain(secret);
  });

  it('does not print an enum mismatch under a secret-looking key, nor a long value', () => {
    const backends = {
      ...testBackends,
      llm: { mock: { api_key_kind: { type: 'string' as const, enum: ['a', 'b'] } } },
    };
    const error = thrown(() =>
      validateConfig(
        { backend: secret.repeat(4), llm: { default: { backend: 'mock', api_key_kind: secret } } },
        { backends },
      ),
    ) as ConfigError;
    expect(error.message).not.toContain(secret);
    expect(error.issues.map((issue) => issue.message)).toEqual([
      'expected one of http, mcp, cmd, found another string',
      'expected one of a, b, found another string',
    ]);
  });
});
