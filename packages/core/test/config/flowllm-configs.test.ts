// FlowLLM 0.2.0.10's own config files (flowllm/config/default.yaml and search.yaml, copied verbatim
// into test/fixtures/flowllm-configs/) load through the config layer with no unknown-key warnings,
// and the keys FlowLLM defines beyond the port's first schema are checked like every other key.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, formatIssue } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load.js';
import { builtinBackends } from '../../src/engine/flow-app.js';
import { removeTempDirs, tempDir, thrown } from './fixtures/test-backends.js';

afterAll(removeTempDirs);

const FIXTURES = fileURLToPath(new URL('../fixtures/flowllm-configs/', import.meta.url));
const DEFAULT_YAML = `${FIXTURES}default.yaml`;
const SEARCH_YAML = `${FIXTURES}search.yaml`;
const SECRET = 'sk-live-0123456789abcdef0123456789';

const load = (configs: (string | Record<string, unknown>)[], env: Record<string, string> = {}) =>
  loadConfig({ configs, env, dotenv: false, cwd: tempDir(), backends: builtinBackends.configBackends() });
const loadError = (configs: (string | Record<string, unknown>)[]) => {
  const error = thrown(() => load(configs));
  expect(ConfigError.isInstance(error)).toBe(true);
  return error as ConfigError;
};

describe("FlowLLM's own configs", () => {
  it('default.yaml loads with no warnings, its token_count entries and FlowLLM defaults in place', () => {
    const { config, warnings } = load([DEFAULT_YAML]);
    expect(warnings).toEqual([]);
    expect(config.mcp).toMatchObject({ transport: 'sse', host: '0.0.0.0', port: 8001 });
    expect(config.http).toMatchObject({ port: 8002, timeout_keep_alive: 3600, limit_concurrency: 1000 });
    expect(config.llm.qwen3_30b_thinking?.token_count).toEqual({
      backend: 'hf',
      model_name: 'Qwen/Qwen3-30B-A3B-Thinking-2507',
      params: { use_mirror: true },
    });
    expect(config.flow.demo_mcp_flow).toMatchObject({
      flow_content: 'MockSearchOp()',
      output_schema: {},
      enable_cache: false,
      cache_path: 'cache/{flow_name}',
      cache_expire_hours: 0.1,
    });
    expect(Object.keys(config.flow)).toEqual(
      expect.arrayContaining(['demo_http_flow', 'demo_stream_http_flow', 'demo_mcp_flow', 'skill_agent']),
    );
  });

  it("search.yaml over default.yaml loads with no warnings, keeping FlowLLM's {VAR} headers as written", () => {
    const { config, warnings } = load([DEFAULT_YAML, SEARCH_YAML], { BAILIAN_MCP_API_KEY: SECRET });
    expect(warnings).toEqual([]);
    expect(Object.keys(config.external_mcp)).toEqual([
      'tongyi_search',
      'tongyi_web_parser',
      'bochaai_search',
      'brave_search',
    ]);
    // FlowLLM fills `{BAILIAN_MCP_API_KEY}` when it connects; the loader's `${VAR}` syntax leaves it alone.
    expect(config.external_mcp.tongyi_search).toEqual({
      type: 'sse',
      url: 'https://dashscope.aliyuncs.com/api/v1/mcps/WebSearch/sse',
      headers: { Authorization: 'Bearer {BAILIAN_MCP_API_KEY}' },
    });
    expect(JSON.stringify(config)).not.toContain(SECRET);
  });

  it('both validate against the shipped config.schema.json, as an editor would check them', () => {
    const schemaFile = new URL('../../config.schema.json', import.meta.url);
    const validate = new Ajv({ strict: true, allErrors: true }).compile(
      JSON.parse(readFileSync(schemaFile, 'utf8')),
    );
    for (const file of [DEFAULT_YAML, SEARCH_YAML]) {
      validate(parse(readFileSync(file, 'utf8')));
      expect(validate.errors ?? [], file).toEqual([]);
    }
  });
});

describe("FlowLLM's keys", () => {
  it("accepts every mcp.transport FlowLLM names, and the start-up switches at FlowLLM's defaults silently", () => {
    for (const transport of ['', 'stdio', 'http', 'sse', 'streamable-http']) {
      expect(load([{ mcp: { transport } }]).config.mcp.transport).toBe(transport);
    }
    const { config, warnings } = load([{ enable_logo: false, init_logger: false, ray_max_workers: 1 }]);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({ enable_logo: false, init_logger: false, ray_max_workers: 1 });
  });

  it('warns once, saying why, when ray_max_workers asks for Ray workers', () => {
    const { warnings } = load([{ ray_max_workers: 8 }]);
    expect(warnings.map((warning) => `${warning.path}: ${warning.message}`)).toEqual([
      'ray_max_workers: ignored: Ray is a Python library; ops here run in this Node process (parallel branches with `|`)',
    ]);
  });

  it('checks output_schema like input_schema and token_count against its backends', () => {
    const error = loadError([
      {
        flow: { f: { flow_content: 'ChatOp()', output_schema: { answer: { type: 'text' } } } },
        llm: { default: { backend: 'mock', token_count: { backend: 'tiktoken' } } },
        http: { timeout_keep_alive: 0, limit_concurrency: -1 },
      },
    ]);
    expect(error.issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'http.timeout_keep_alive: expected number > 0 and <= 2147483, found number out of range',
      'http.limit_concurrency: expected integer >= 0, found integer out of range',
      'flow.f.output_schema.answer.type: expected one of string, array, integer, number, boolean, object, found "text"',
      // 'tiktoken' holds "token", so it is not echoed (values that look secret never are).
      'llm.default.token_count.backend: expected one of base, openai, hf, found another string',
    ]);
  });

  it('refuses an external_mcp entry with neither url nor command, and never shows its header values', () => {
    const error = loadError([
      {
        external_mcp: {
          nowhere: { type: 'sse', headers: { Authorization: `Bearer ${SECRET}` } },
          badHeaders: { url: 'https://mcp.example/sse', headers: { Authorization: 42 } },
          badType: { url: 'https://mcp.example/sse', type: SECRET, timeout: 0 },
        },
      },
    ]);
    const messages = error.issues.map(formatIssue);
    expect(messages).toEqual([
      'config object: external_mcp.badHeaders.headers.Authorization: expected string, found integer',
      'config object: external_mcp.badType.timeout: expected number > 0, found number out of range',
      'config object: external_mcp.nowhere: an MCP server needs `url` (a remote server) or `command` (a local one)',
    ]);
    expect(error.message).not.toContain(SECRET);
  });

  it('warns about a misspelt external_mcp key with a suggestion', () => {
    const { warnings } = load([{ external_mcp: { local: { command: 'npx', arg: ['-y', 'server'] } } }]);
    expect(warnings.map((warning) => [warning.path, warning.suggestion])).toEqual([
      ['external_mcp.local.arg', 'args'],
    ]);
  });
});
