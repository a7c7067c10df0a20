import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load.js';
import { defaultBuiltinDir } from '../../src/config/locate.js';
import { validateConfig } from '../../src/config/validate.js';
import { parseYamlLayer } from '../../src/config/yaml-layer.js';
import { removeTempDirs, tempDir, testBackends, thrown } from './fixtures/test-backends.js';

afterAll(removeTempDirs);

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const load = (options: Omit<Parameters<typeof loadConfig>[0], 'backends'>) =>
  loadConfig({ backends: testBackends, dotenv: false, env: {}, ...options });
const loadError = (options: Parameters<typeof load>[0]) => {
  const error = thrown(() => load(options));
  expect(ConfigError.isInstance(error)).toBe(true);
  return error as ConfigError;
};

describe('loadConfig layering', () => {
  it('loads the built-in default layer alone', () => {
    const { config, warnings, files } = load({ cwd: tempDir() });
    expect(warnings).toEqual([]);
    expect(files).toEqual([path.join(defaultBuiltinDir(), 'builtin-defaults.yaml')]);
    expect(config.llm.default).toEqual({ backend: 'mock', model_name: '', params: {}, token_delay_ms: 0 });
    // FlowLLM's named models, so flows naming them work (their key is needed only once one is used).
    expect(Object.keys(config.llm)).toEqual([
      'default',
      'qwen3_30b_instruct',
      'qwen3_30b_thinking',
      'qwen3_235b_instruct',
      'qwen3_235b_thinking',
      'qwen3_80b_instruct',
      'qwen3_80b_thinking',
      'qwen3_max_instruct',
      'qwen25_max_instruct',
    ]);
    expect(config.llm.qwen3_30b_instruct).toMatchObject({
      backend: 'openai_compatible',
      model_name: 'qwen3-30b-a3b-instruct-2507',
    });
    expect(config.embedding_model).toEqual({
      default: { backend: 'mock', model_name: '', params: {}, dimensions: 8 },
    });
    expect(config.vector_store).toEqual({});
    expect(config.flow).toEqual({});
  });

  it('keeps builtin-defaults.yaml and the schema defaults in step', () => {
    const { config } = load({ cwd: tempDir() });
    const schemaOnly = validateConfig({}, { backends: testBackends }).config;
    expect({ ...config, llm: {}, embedding_model: {} }).toEqual(schemaOnly);
  });

  it('merges mappings deeply and replaces lists and scalars, null included', () => {
    const cwd = tempDir({
      'a.yaml': [
        'http: { host: 127.0.0.1, port: 9000 }',
        'llm: { default: { params: { temperature: 0.6, top_p: 0.9 } } }',
        'flow: { a: { flow_content: A() }, b: { flow_content: B(), timeout: 5 } }',
        'enabled_flows: [a, b]',
        'metadata: { tags: [x, y], owner: me }',
      ].join('\n'),
      'b.yaml': [
        'http: { port: 9100 }',
        'llm: { default: { params: { temperature: 0.2 } } }',
        'flow: { b: { timeout: null } }',
        'enabled_flows: [b]',
        'metadata: { tags: [z] }',
      ].join('\n'),
    });
    const { config, files } = load({ cwd, configs: ['a', 'b.yaml'] });
    expect(files.slice(1)).toEqual([path.join(cwd, 'a.yaml'), path.join(cwd, 'b.yaml')]);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 9100 });
    expect(config.llm.default?.params).toEqual({ temperature: 0.2, top_p: 0.9 });
    expect(config.llm.default?.backend).toBe('mock');
    expect(config.flow.b?.timeout).toBeNull();
    expect(config.enabled_flows).toEqual(['b']);
    expect(config.metadata).toEqual({ tags: ['z'], owner: 'me' });
  });

  it('layers config objects and applies overrides last', () => {
    const { config } = load({
      cwd: tempDir(),
      configs: [{ http: { port: 1 }, language: 'zh' }, { http: { port: 2 } }],
      overrides: ['--http.port=3', 'cmd.params.text=hi', 'llm.default.params={"temperature":0.1}'],
    });
    expect(config.http.port).toBe(3);
    expect(config.language).toBe('zh');
    expect(config.cmd.params).toEqual({ text: 'hi' });
    expect(config.llm.default?.params).toEqual({ temperature: 0.1 });
  });

  it('treats undefined members of config objects as absent', () => {
    const { config } = load({
      cwd: tempDir(),
      configs: [{ http: { port: 1 } }, { http: { port: undefined }, language: undefined }],
    });
    expect(config.http.port).toBe(1);
    expect(config.language).toBe('');
  });

  it('does not mutate or share config objects', () => {
    const layer = { metadata: { list: [1] } };
    const { config } = load({ cwd: tempDir(), configs: [layer] });
    (config.metadata.list as number[]).push(2);
    expect(layer).toEqual({ metadata: { list: [1] } });
  });

  it('sets app_name from FLOW_APP_NAME in the default layer; a config file still wins', () => {
    const cwd = tempDir({ 'named.yaml': 'app_name: From File\n' });
    expect(load({ cwd, env: { FLOW_APP_NAME: 'From Env' } }).config.app_name).toBe('From Env');
    expect(load({ cwd, env: { FLOW_APP_NAME: 'From Env' }, configs: ['named'] }).config.app_name).toBe(
      'From File',
    );
    expect(load({ cwd, env: {} }).config.app_name).toBe('FlowLLM');
  });
});

describe('loadConfig sources', () => {
  it('points every issue at the file:line:column that set the value, after a multi-file merge', () => {
    const error = loadError({ cwd: fixtures, configs: ['base', 'overlay-mistakes.yaml'] });
    expect(error.issues.map(formatIssue)).toEqual([
      'base.yaml:17:11: language: expected string, found integer',
      'overlay-mistakes.yaml:3:9: http.port: expected integer from 0 to 65535, found string',
      'overlay-mistakes.yaml:6:13: flow.demo.stream: expected boolean, found string',
      'overlay-mistakes.yaml:9:26: flow.demo.input_schema.query.required: expected boolean, found string',
      'overlay-mistakes.yaml:10:3: flow.other.flow_content: missing required key (expected string)',
      'overlay-mistakes.yaml:14:21: llm.default.token_delay_ms: expected integer >= 0, found integer out of range',
    ]);
    expect(error.message).toBe(error.issues.map(formatIssue).join('\n'));
  });

  it('locates warnings too, and returns the sources map', () => {
    const cwd = tempDir({ 'w.yaml': 'flow:\n  demo:\n    flow_content: A()\n    strem: true\n' });
    const { warnings, sources } = load({ cwd, configs: ['w'] });
    expect(warnings.map(formatIssue)).toEqual([
      'w.yaml:4:12: flow.demo.strem: unknown key, ignored; did you mean `stream`?',
    ]);
    expect(sources.lookup(['flow', 'demo', 'flow_content'])).toEqual({ file: 'w.yaml', line: 3, column: 19 });
  });

  it('names the argument as the source of an override, and config objects by kind', () => {
    const error = loadError({ cwd: tempDir(), configs: [{ language: 1 }], overrides: ['http.port=abc'] });
    expect(error.issues.map(formatIssue)).toEqual([
      'config object: language: expected string, found integer',
      "argument 'http.port=abc': http.port: expected integer from 0 to 65535, found string",
    ]);
  });

  it('locates a missing key of an override-created entry at that argument', () => {
    const error = loadError({ cwd: tempDir(), overrides: ['flow.x.stream=true'] });
    expect(error.issues.map(formatIssue)).toEqual([
      "argument 'flow.x.stream=true': flow.x.flow_content: missing required key (expected string)",
    ]);
  });

  it('refuses an override through a value that is not an object', () => {
    const error = loadError({ cwd: tempDir(), overrides: ['http.port.value=1'] });
    expect(error.issues.map(formatIssue)).toEqual([
      "argument 'http.port.value=1': http.port.value: cannot set http.port.value: http.port is an integer, not an object",
    ]);
  });

  it('shows absolute paths for files outside cwd', () => {
    const other = tempDir({ 'x.yaml': 'language: 1\n' });
    const error = loadError({ cwd: tempDir(), configs: [path.join(other, 'x.yaml')] });
    expect(error.issues[0]?.source).toEqual({ file: path.join(other, 'x.yaml'), line: 1, column: 11 });
  });
});

describe('config names and paths', () => {
  it('looks a name up among the built-in configs first, then in cwd (.yaml, then .yml)', () => {
    const builtinDir = tempDir({
      'builtin-defaults.yaml': 'language: builtin-default\n',
      'shared.yaml': 'language: builtin\n',
    });
    const cwd = tempDir({ 'shared.yaml': 'language: cwd\n', 'mine.yml': 'language: cwd-yml\n' });
    expect(load({ cwd, builtinDir, configs: ['shared'] }).config.language).toBe('builtin');
    expect(load({ cwd, builtinDir, configs: ['mine'] }).config.language).toBe('cwd-yml');
    expect(load({ cwd, builtinDir }).config.language).toBe('builtin-default');
    expect(load({ cwd, builtinDir, configs: ['./shared.yaml'] }).config.language).toBe('cwd');
  });

  it('treats `.yaml`/`.yml` names and strings with a separator as paths relative to cwd', () => {
    const cwd = tempDir({ 'sub/deep.yaml': 'language: deep\n', 'top.yml': 'language: top\n' });
    expect(load({ cwd, configs: ['sub/deep.yaml'] }).config.language).toBe('deep');
    expect(load({ cwd, configs: ['top.yml'] }).config.language).toBe('top');
    // A path without its suffix still finds the file, FlowLLM-style.
    expect(load({ cwd, configs: ['sub/deep'] }).files.at(-1)).toBe(path.join(cwd, 'sub', 'deep.yaml'));
  });

  it('says where it looked when a config is not found', () => {
    const builtinDir = tempDir({ 'builtin-defaults.yaml': '{}\n' });
    const cwd = tempDir();
    const error = loadError({ cwd, builtinDir, configs: ['nope'] });
    expect(error.message).toBe(
      `config "nope" not found; looked for ${[
        path.join(builtinDir, 'nope.yaml'),
        path.join(builtinDir, 'nope.yml'),
        path.join(cwd, 'nope.yaml'),
        path.join(cwd, 'nope.yml'),
      ].join(', ')}`,
    );
    expect(loadError({ cwd, builtinDir, configs: ['missing.yaml'] }).message).toBe(
      `config file "missing.yaml" not found; looked for ${path.join(cwd, 'missing.yaml')}`,
    );
  });

  it('takes config= among the overrides as more configs', () => {
    const cwd = tempDir({ 'extra.yaml': 'language: extra\n' });
    expect(load({ cwd, overrides: ['config=extra'] }).config.language).toBe('extra');
  });
});

describe('YAML problems', () => {
  it('reports malformed YAML with file:line:column and the reason, without the text', () => {
    const cwd = tempDir({ 'bad.yaml': 'language: zh\nhttp:\n  port: sk-FAKE-secret: 9000\n' });
    const error = loadError({ cwd, configs: ['bad'] });
    expect(error.issues).toEqual([
      {
        path: '',
        message: 'invalid YAML: Nested mappings are not allowed in compact mappings',
        source: { file: 'bad.yaml', line: 3, column: 9 },
      },
    ]);
    expect(error.message).toBe(
      'bad.yaml:3:9: invalid YAML: Nested mappings are not allowed in compact mappings',
    );
    expect(error.message).not.toContain('sk-FAKE-secret');
  });

  it('rejects duplicate keys, naming the line', () => {
    const cwd = tempDir({ 'dup.yaml': 'language: a\nhttp: {}\nlanguage: b\n' });
    const error = loadError({ cwd, configs: ['dup'] });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.source).toEqual({ file: 'dup.yaml', line: 3, column: 1 });
    expect(error.issues[0]?.message).toMatch(/unique/i);
  });

  it('rejects a file whose top level is not a mapping; an empty file is an empty layer', () => {
    const cwd = tempDir({ 'list.yaml': '- a\n- b\n', 'scalar.yaml': 'hello\n', 'empty.yaml': '# nothing\n' });
    expect(loadError({ cwd, configs: ['list'] }).message).toBe(
      'list.yaml:1:1: the top level must be a mapping of keys, found a list',
    );
    expect(loadError({ cwd, configs: ['scalar'] }).message).toBe(
      'scalar.yaml:1:1: the top level must be a mapping of keys, found a single string',
    );
    expect(load({ cwd, configs: ['empty'] }).config.http.port).toBe(8002);
  });

  it('collects problems from several files before giving up', () => {
    const cwd = tempDir({ 'a.yaml': 'a: [\n', 'b.yaml': '- x\n' });
    const error = loadError({ cwd, configs: ['a', 'b', 'c'] });
    const files = error.issues.map((issue) => issue.source?.file ?? issue.message.slice(0, 10));
    expect(files).toContain('a.yaml');
    expect(files).toContain('b.yaml');
    expect(error.message).toContain('config "c" not found');
  });

  it('expands aliases and bounds their expansion', () => {
    const ok = parseYamlLayer('base: &b { port: 1 }\nhttp: *b\n', 'a.yaml', {});
    expect(ok.value).toEqual({ base: { port: 1 }, http: { port: 1 } });
    expect(ok.sources.get(['http'])).toEqual({ file: 'a.yaml', line: 2, column: 7 });
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      laughs.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const error = thrown(() => parseYamlLayer(laughs.join('\n'), 'laughs.yaml', {})) as ConfigError;
    expect(error.message).toContain('an alias may repeat a value, not multiply it without bound');
  });
});

describe('forbidden keys', () => {
  it('refuses __proto__, constructor and prototype in YAML files', () => {
    const cwd = tempDir({
      'p.yaml':
        'llm:\n  __proto__: { polluted: true }\nmetadata:\n  constructor: x\n  list: [{ prototype: 1 }]\n',
    });
    const error = loadError({ cwd, configs: ['p'] });
    expect(error.issues.map(formatIssue)).toEqual([
      'p.yaml:2:3: llm.__proto__: the key `__proto__` is not allowed in a configuration',
      'p.yaml:4:3: metadata.constructor: the key `constructor` is not allowed in a configuration',
      'p.yaml:5:12: metadata.list.0.prototype: the key `prototype` is not allowed in a configuration',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses them in config objects and overrides', () => {
    const layer = JSON.parse('{"metadata": {"__proto__": {"polluted": true}}}');
    const error = loadError({ cwd: tempDir(), configs: [layer], overrides: ['llm.constructor.x=1'] });
    expect(error.issues.map(formatIssue)).toEqual([
      "argument 'llm.constructor.x=1': the key `constructor` is not allowed in a configuration",
      'config object: metadata.__proto__: the key `__proto__` is not allowed in a configuration',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses them inside JSON override values', () => {
    const error = loadError({
      cwd: tempDir(),
      overrides: ['metadata={"a":{"__proto__":{"polluted":true}}}'],
    });
    expect(error.issues.map(formatIssue)).toEqual([
      "argument 'metadata=…': metadata.a.__proto__: the key `__proto__` is not allowed in a configuration",
    ]);
  });
});

describe('secrets in load errors', () => {
  it('keeps YAML values out of errors and warnings', () => {
    const secret = 'sk-FAKE-0123456789abcdef';
    const cwd = tempDir({
      'bad.yaml': `llm:\n  default:\n    api_key: ${secret}\n    answer: [${secret}]\n`,
      'ok.yaml': `llm:\n  default:\n    api_key: ${secret}\n`,
    });
    const error = loadError({ cwd, configs: ['bad'] });
    expect(error.message).toBe('bad.yaml:4:13: llm.default.answer: expected string, found array');
    const { warnings } = load({ cwd, configs: ['ok'] });
    expect(warnings.map(formatIssue)).toEqual(['ok.yaml:3:14: llm.default.api_key: unknown key, ignored']);
    expect(JSON.stringify(warnings)).not.toContain(secret);
  });

  it('keeps values out of override labels when the key or value looks secret', () => {
    const secret = 'sk-FAKE-0123456789abcdef';
    const error = loadError({
      cwd: tempDir(),
      overrides: [`http.host.api_key=${secret}`, `http.port={"token":"${secret}"}`],
    });
    expect(error.message).not.toContain(secret);
    expect(error.issues.map(formatIssue)).toEqual([
      "argument 'http.host.api_key=…': http.host.api_key: cannot set http.host.api_key: http.host is a string, not an object",
    ]);
  });
});

describe('CORS credentials', () => {
  const refusal =
    "http.cors.allow_credentials: credentials cannot be allowed for any origin ('*' in http.cors.allow_origins): list the origins that may send cookies, or leave allow_credentials off";

  it("refuses credentials with '*' in allow_origins, at the line that turned them on", () => {
    const cwd = tempDir({ 'c.yaml': 'http:\n  cors:\n    allow_credentials: true\n' });
    const error = loadError({ cwd, configs: ['c'] });
    expect(error.issues.map(formatIssue)).toEqual([`c.yaml:3:24: ${refusal}`]);
    const listed = loadError({
      cwd: tempDir(),
      overrides: ['http.cors.allow_origins=["https://a.example","*"]', 'http.cors.allow_credentials=true'],
    });
    expect(listed.issues.map(formatIssue)).toEqual([
      `argument 'http.cors.allow_credentials=true': ${refusal}`,
    ]);
  });

  it('allows credentials with an explicit origin list; the default has none', () => {
    expect(load({ cwd: tempDir() }).config.http.cors.allow_credentials).toBe(false);
    const { config } = load({
      cwd: tempDir(),
      configs: [{ http: { cors: { allow_origins: ['https://app.example'], allow_credentials: true } } }],
    });
    expect(config.http.cors.allow_credentials).toBe(true);
  });
});

describe('CORS origins', () => {
  const origins = (allow_origins: string[], allow_credentials = false) =>
    loadError({
      cwd: tempDir(),
      configs: [{ http: { cors: { allow_origins, allow_credentials } } }],
    }).issues.map(formatIssue);

  it('refuses entries that can never match an Origin header, naming each by its place', () => {
    expect(
      origins(['https://app.example/', 'HTTPS://App.Example', 'app.example', 'https://app.example/path']),
    ).toEqual([
      `config object: http.cors.allow_origins.0: this entry is not an origin as browsers send it, so it never matches: write scheme://host[:port], lower-case, without a path or a trailing slash`,
      `config object: http.cors.allow_origins.1: this entry is not an origin as browsers send it, so it never matches: write scheme://host[:port], lower-case, without a path or a trailing slash`,
      `config object: http.cors.allow_origins.2: "app.example" is not an origin as browsers send it, so it never matches: write scheme://host[:port], lower-case, without a path or a trailing slash`,
      `config object: http.cors.allow_origins.3: this entry is not an origin as browsers send it, so it never matches: write scheme://host[:port], lower-case, without a path or a trailing slash`,
    ]);
  });

  it("refuses credentials for 'null' (any site can make a page of that origin), allows it without", () => {
    expect(origins(['https://app.example', 'null'], true)).toEqual([
      "config object: http.cors.allow_origins.1: 'null' is the origin of sandboxed frames and file: and data: pages, which any site can create: it may not be sent credentials",
    ]);
    const { config } = load({
      cwd: tempDir(),
      configs: [
        { http: { cors: { allow_origins: ['null', 'http://localhost:5173', 'https://a.example:8443'] } } },
      ],
    });
    expect(config.http.cors.allow_origins).toHaveLength(3);
  });
});
