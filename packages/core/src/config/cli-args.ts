import { isPlainObject } from './check-value.js';
import { ConfigError, type ConfigIssue, isSecretKey, isShowable, typeName } from './config-error.js';
import { copyConfigValue, FORBIDDEN_KEYS } from './merge.js';
import type { SourceMap } from './source-map.js';

/**
 * One `key=value` command-line override: the dotted key split into a path, the coerced value,
 * and the argument as it was given.
 *
 * @example
 * const override: CliOverride = { path: ['http', 'port'], value: 9000, raw: '--http.port=9000' };
 */
export interface CliOverride {
  path: string[];
  value: unknown;
  raw: string;
}

/**
 * Parsed command-line arguments: config names/paths from `config=`, and the other overrides.
 *
 * @example
 * const args: CliArgs = { configs: ['default', 'search'], overrides: [] };
 */
export interface CliArgs {
  configs: string[];
  overrides: CliOverride[];
}

/**
 * Parses FlowLLM-style arguments. Every argument is `key=value`, leading dashes are dropped
 * (`--http.port=9000`), and the key is the text before the first `=`. Only the key `config`
 * names config files (comma-separated); any other key is a dotted path into the config
 * (`llm.default.c=2` is an override, unlike FlowLLM, which took any argument containing `c=`).
 * Values are coerced as `coerceCliValue` says. Throws a `ConfigError` listing every bad argument.
 *
 * @example
 * parseCliArgs(['config=default,search', '--http.port=9000']);
 * // { configs: ['default', 'search'], overrides: [{ path: ['http', 'port'], value: 9000, raw: '--http.port=9000' }] }
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const result: CliArgs = { configs: [], overrides: [] };
  const issues: ConfigIssue[] = [];
  for (const raw of argv) {
    const argument = splitCliArgument(raw);
    const path = argument?.key.split('.') ?? [];
    const problem = argument ? argumentProblem(argument.key, path) : 'expected key=value (no `=` found)';
    if (problem || !argument) {
      issues.push({ path: '', message: problem ?? '', source: { file: argumentLabel(raw) } });
      continue;
    }
    if (argument.key === 'config') {
      result.configs.push(...commaList(argument.value));
    } else {
      result.overrides.push({ path, value: coerceCliValue(argument.value), raw });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return result;
}

/**
 * An argument split at its first `=`, leading dashes dropped (`--http.port=9000` → `http.port`, `9000`);
 * undefined when there is no `=`.
 *
 * @example
 * splitCliArgument('--http.port=9000'); // { key: 'http.port', value: '9000' }
 * splitCliArgument('nonsense'); // undefined
 */
export function splitCliArgument(raw: string): { key: string; value: string } | undefined {
  const argument = raw.replace(/^-+/, '');
  const equals = argument.indexOf('=');
  return equals < 0 ? undefined : { key: argument.slice(0, equals), value: argument.slice(equals + 1) };
}

/**
 * A comma-separated argument value as its non-empty, trimmed items.
 *
 * @example
 * commaList('default, search,'); // ['default', 'search']
 */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** What is wrong with an argument's shape, if anything. */
function argumentProblem(key: string, path: string[]): string | undefined {
  if (key === '') return 'expected key=value (the key is empty)';
  // The `flowllm` command takes `ops=` itself; here it would only be an ignored unknown config key.
  if (key === 'ops')
    return '`ops=` is read by the flowllm command only; in code, import the op modules (or pass `ops: [MyOp]`) instead';
  if (path.includes(''))
    return 'expected key=value with a dotted key such as http.port (a key segment is empty)';
  const forbidden = path.find((segment) => FORBIDDEN_KEYS.has(segment));
  return forbidden === undefined ? undefined : `the key \`${forbidden}\` is not allowed in a configuration`;
}

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Coerces a command-line value, trying in order:
 * 1. `true` / `false` (any case) → boolean;
 * 2. `none` / `null` (any case) → null;
 * 3. an integer (`^[+-]?\d+$`) → number, if it is a safe integer (else it stays a string);
 * 4. a finite float (`0.5`, `1e-3`, `-2.5`) → number;
 * 5. JSON, when the text starts with `{`, `[` or `"` and parses;
 * 6. otherwise the text as it is.
 *
 * @example
 * coerceCliValue('TRUE'); // true
 * coerceCliValue('None'); // null
 * coerceCliValue('8002'); // 8002
 * coerceCliValue('1e-3'); // 0.001
 * coerceCliValue('{"dimensions":1024}'); // { dimensions: 1024 }
 * coerceCliValue('qwen-max'); // 'qwen-max'
 */
export function coerceCliValue(text: string): unknown {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'none' || lower === 'null') return null;
  if (INTEGER.test(text)) {
    const number = Number(text);
    return Number.isSafeInteger(number) ? number : text;
  }
  if (FLOAT.test(text)) {
    const number = Number(text);
    if (Number.isFinite(number)) return number;
  }
  if (/^[{["]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return text;
}

/**
 * Sets each override's dotted path in `layer` (in place, returned for convenience), creating
 * intermediate objects where a key is missing or null. With `sources`, each path is recorded as
 * set by its argument. Throws a `ConfigError` naming every argument whose path runs through a
 * value that is not a mapping, or that uses `__proto__`, `constructor` or `prototype`.
 *
 * @example
 * applyOverrides({ http: { port: 8002 } }, parseCliArgs(['http.port=9000']).overrides);
 * // { http: { port: 9000 } }
 */
export function applyOverrides(
  layer: Record<string, unknown>,
  overrides: readonly CliOverride[],
  sources?: SourceMap,
): Record<string, unknown> {
  const issues: ConfigIssue[] = [];
  for (const override of overrides) {
    const source = { file: argumentLabel(override.raw) };
    const forbidden = override.path.find((segment) => FORBIDDEN_KEYS.has(segment));
    if (forbidden !== undefined || override.path.length === 0) {
      const message = forbidden
        ? `the key \`${forbidden}\` is not allowed in a configuration`
        : 'the key is empty';
      issues.push({ path: override.path.join('.'), message, source });
      continue;
    }
    let target = layer;
    let blocked: string | undefined;
    for (const [index, segment] of override.path.slice(0, -1).entries()) {
      const next = Object.hasOwn(target, segment) ? target[segment] : undefined;
      if (next === undefined || next === null) {
        target[segment] = {};
        sources?.set(override.path.slice(0, index + 1), source);
      } else if (!isPlainObject(next)) {
        blocked = `cannot set ${override.path.join('.')}: ${override.path.slice(0, index + 1).join('.')} is ${article(next)}, not an object`;
        break;
      }
      target = target[segment] as Record<string, unknown>;
    }
    if (blocked) {
      issues.push({ path: override.path.join('.'), message: blocked, source });
      continue;
    }
    // A JSON value may hold `__proto__` and friends too; copying it reports them.
    const found: ConfigIssue[] = [];
    const value = copyConfigValue(override.value, override.path, { issues: found, sourceOf: () => source });
    if (found.length > 0) {
      issues.push(...found);
      continue;
    }
    target[override.path[override.path.length - 1]!] = value;
    sources?.deleteUnder(override.path);
    sources?.set(override.path, source);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return layer;
}

const article = (value: unknown): string => {
  const name = typeName(value);
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
};

/**
 * How an argument is named in messages: `argument 'http.port=abc'`. The value is left out when the
 * key looks secret or the value mentions a secret-looking key (JSON), so no credential is echoed.
 *
 * @example
 * argumentLabel('http.port=abc'); // "argument 'http.port=abc'"
 * argumentLabel('llm.default.api_key=sk-1'); // "argument 'llm.default.api_key=…'"
 */
export function argumentLabel(raw: string): string {
  const equals = raw.indexOf('=');
  // An argument without '=' may be a value typed on its own (a key, even): show it only if it reads as a key path.
  if (equals < 0)
    return /^-*[A-Za-z_]\w*(\.\w+)*$/.test(raw) && !isSecretKey(raw) ? `argument '${raw}'` : 'an argument';
  const key = raw.slice(0, equals);
  const value = raw.slice(equals + 1);
  return `argument '${key}=${isShowable(key, value) || /^-?\d+(\.\d+)?$/.test(value) ? value : '…'}'`;
}
