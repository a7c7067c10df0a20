import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOverrides, argumentLabel, coerceCliValue, parseCliArgs } from '../../src/config/cli-args.js';
import { ConfigError } from '../../src/config/config-error.js';
import { SourceMap } from '../../src/config/source-map.js';
import { thrown } from './fixtures/test-backends.js';

const parseError = (argv: string[]) => {
  const error = thrown(() => parseCliArgs(argv));
  expect(ConfigError.isInstance(error)).toBe(true);
  return error as ConfigError;
};

describe('parseCliArgs', () => {
  it('splits keys into paths, strips leading dashes, and keeps the raw argument', () => {
    expect(parseCliArgs(['backend=http', '--http.port=9000', '-llm.default.model_name=qwen'])).toEqual({
      configs: [],
      overrides: [
        { path: ['backend'], value: 'http', raw: 'backend=http' },
        { path: ['http', 'port'], value: 9000, raw: '--http.port=9000' },
        { path: ['llm', 'default', 'model_name'], value: 'qwen', raw: '-llm.default.model_name=qwen' },
      ],
    });
  });

  it('splits at the first = only', () => {
    expect(parseCliArgs(['cmd.flow=ChatOp(llm="default")', 'cmd.params.q=a=b']).overrides).toEqual([
      { path: ['cmd', 'flow'], value: 'ChatOp(llm="default")', raw: 'cmd.flow=ChatOp(llm="default")' },
      { path: ['cmd', 'params', 'q'], value: 'a=b', raw: 'cmd.params.q=a=b' },
    ]);
  });

  it('reads config= as comma-separated names, trimmed, empties dropped, in order', () => {
    expect(parseCliArgs(['config=default, search,,', '--config=./my.yaml', 'config=']).configs).toEqual([
      'default',
      'search',
      './my.yaml',
    ]);
  });

  it('treats only the exact key `config` as config names (FlowLLM took any argument with c=)', () => {
    const { configs, overrides } = parseCliArgs([
      'abc=1',
      'llm.default.c=x',
      'configs=y',
      'config.x=z',
      'c=2',
    ]);
    expect(configs).toEqual([]);
    expect(overrides.map((override) => override.path.join('.'))).toEqual([
      'abc',
      'llm.default.c',
      'configs',
      'config.x',
      'c',
    ]);
    expect(overrides.map((override) => override.value)).toEqual([1, 'x', 'y', 'z', 2]);
  });

  it('rejects an argument without =, an empty key and empty key segments, all at once', () => {
    const error = parseError(['http.port', '=1', '--=x', 'a..b=1', '.a=1', 'a.=1', 'ok=1']);
    expect(error.issues.map((issue) => `${issue.source?.file}: ${issue.message}`)).toEqual([
      "argument 'http.port': expected key=value (no `=` found)",
      "argument '=1': expected key=value (the key is empty)",
      "argument '--=x': expected key=value (the key is empty)",
      "argument 'a..b=1': expected key=value with a dotted key such as http.port (a key segment is empty)",
      "argument '.a=1': expected key=value with a dotted key such as http.port (a key segment is empty)",
      "argument 'a.=1': expected key=value with a dotted key such as http.port (a key segment is empty)",
    ]);
  });

  it('refuses __proto__, constructor and prototype in a key', () => {
    const error = parseError(['__proto__.polluted=1', 'llm.constructor=1', 'a.prototype.b=1']);
    expect(error.issues.map((issue) => issue.message)).toEqual([
      'the key `__proto__` is not allowed in a configuration',
      'the key `constructor` is not allowed in a configuration',
      'the key `prototype` is not allowed in a configuration',
    ]);
  });
});

describe('coerceCliValue', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
    ['True', true],
    ['none', null],
    ['NULL', null],
    ['None', null],
    ['8002', 8002],
    ['-7', -7],
    ['+3', 3],
    ['007', 7],
    ['9007199254740991', 9007199254740991],
    ['9007199254740993', '9007199254740993'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
    ['0.5', 0.5],
    ['-2.5', -2.5],
    ['1e-3', 0.001],
    ['.5', 0.5],
    ['1.', 1],
    ['1e999', '1e999'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['0x10', '0x10'],
    ['', ''],
    [' 1', ' 1'],
    ['{"dimensions":1024}', { dimensions: 1024 }],
    ['[1,"a",null]', [1, 'a', null]],
    ['"quoted"', 'quoted'],
    ['"true"', 'true'],
    ['{not json', '{not json'],
    ['[1,', '[1,'],
    ['qwen3-30b', 'qwen3-30b'],
    ['1,2', '1,2'],
  ])('%j → %j', (text, expected) => {
    expect(coerceCliValue(text)).toEqual(expected);
  });
});

describe('applyOverrides', () => {
  it('sets dotted paths, creating objects where keys are missing or null, and records sources', () => {
    const layer: Record<string, unknown> = { http: { port: 8002, host: 'h' }, cmd: { params: null } };
    const sources = new SourceMap();
    sources.set(['http', 'port'], { file: 'a.yaml', line: 1, column: 1 });
    const { overrides } = parseCliArgs(['http.port=9000', 'cmd.params.text=hi', 'flow.demo.stream=true']);
    expect(applyOverrides(layer, overrides, sources)).toBe(layer);
    expect(layer).toEqual({
      http: { port: 9000, host: 'h' },
      cmd: { params: { text: 'hi' } },
      flow: { demo: { stream: true } },
    });
    expect(sources.get(['http', 'port'])).toEqual({ file: "argument 'http.port=9000'" });
    expect(sources.get(['flow', 'demo'])).toEqual({ file: "argument 'flow.demo.stream=true'" });
  });

  it('replaces a whole subtree and forgets its old sources', () => {
    const layer: Record<string, unknown> = { llm: { default: { params: { a: 1 } } } };
    const sources = new SourceMap();
    sources.set(['llm', 'default', 'params', 'a'], { file: 'a.yaml', line: 4, column: 9 });
    applyOverrides(layer, parseCliArgs(['llm.default.params={"b":2}']).overrides, sources);
    expect(layer).toEqual({ llm: { default: { params: { b: 2 } } } });
    expect(sources.get(['llm', 'default', 'params', 'a'])).toBeUndefined();
  });

  it('names every argument that runs through a value that is not an object', () => {
    const layer = { http: { port: 8002 }, enabled_flows: ['a'] };
    const error = thrown(() =>
      applyOverrides(layer, parseCliArgs(['http.port.x=1', 'enabled_flows.0=b', 'ok=1']).overrides),
    ) as ConfigError;
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      [
        "argument 'http.port.x=1': http.port.x: cannot set http.port.x: http.port is an integer, not an object",
        "argument 'enabled_flows.0=b': enabled_flows.0: cannot set enabled_flows.0: enabled_flows is an array, not an object",
      ].join('\n'),
    );
  });

  it('refuses forbidden keys in hand-made overrides too', () => {
    const layer: Record<string, unknown> = {};
    const error = thrown(() =>
      applyOverrides(layer, [{ path: ['__proto__', 'polluted'], value: true, raw: 'x' }]),
    ) as ConfigError;
    expect(error.issues[0]?.message).toBe('the key `__proto__` is not allowed in a configuration');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('argumentLabel', () => {
  it('shows the argument, unless the key or value looks secret', () => {
    expect(argumentLabel('http.port=abc')).toBe("argument 'http.port=abc'");
    expect(argumentLabel('llm.default.api_key=sk-FAKE')).toBe("argument 'llm.default.api_key=…'");
    expect(argumentLabel('llm.default.params={"token":"sk-FAKE"}')).toBe("argument 'llm.default.params=…'");
    expect(argumentLabel(`metadata.note=${'x'.repeat(65)}`)).toBe("argument 'metadata.note=…'");
  });
});

describe('properties', () => {
  it('returns or throws a ConfigError for any arguments, never another error', () => {
    const argument = fc.oneof(
      fc.string(),
      fc.string({
        unit: fc.constantFrom('-', '=', '.', ',', 'a', 'config', '__proto__', '{', '"', '1', ' '),
      }),
    );
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 8 }), (argv) => {
        try {
          const result = parseCliArgs(argv);
          expect(result.configs.every((name) => name.trim() === name && name !== '')).toBe(true);
          for (const override of result.overrides) {
            expect(override.path.length).toBeGreaterThan(0);
            expect(override.path.includes('')).toBe(false);
          }
        } catch (error) {
          expect(ConfigError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('coerces String(n) back to n for every safe integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(coerceCliValue(String(n))).toBe(n);
        expect(parseCliArgs([`x=${n}`]).overrides[0]?.value).toBe(n);
      }),
    );
  });
});
