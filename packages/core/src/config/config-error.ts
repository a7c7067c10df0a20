import { FlowllmError } from '../errors.js';

/**
 * Where a config value was set: a file with line and column (1-based), or a label such as
 * `argument 'http.port=abc'` or `config object` (no line).
 *
 * @example
 * const source: ConfigSource = { file: 'my_config.yaml', line: 12, column: 11 };
 */
export interface ConfigSource {
  file: string;
  line?: number;
  column?: number;
}

/**
 * One problem found in the configuration. `path` is the dotted key path (`''` for the whole file).
 *
 * @example
 * const issue: ConfigIssue = { path: 'flow.demo.stream', message: 'expected boolean, found string' };
 */
export interface ConfigIssue {
  path: string;
  message: string;
  source?: ConfigSource;
}

/**
 * A problem that does not stop the configuration from loading, e.g. an unknown key.
 *
 * @example
 * const warning: ConfigWarning = {
 *   path: 'flow.demo.strem',
 *   message: 'unknown key `strem` is ignored (did you mean `stream`?)',
 *   suggestion: 'stream',
 * };
 */
export interface ConfigWarning extends ConfigIssue {
  suggestion?: string;
}

/**
 * Thrown when the configuration cannot be loaded. Holds every issue found, not only the first;
 * the message lists them one per line. Messages never contain config values.
 *
 * @example
 * try {
 *   loadConfig({ backends });
 * } catch (error) {
 *   if (ConfigError.isInstance(error)) for (const issue of error.issues) console.error(formatIssue(issue));
 * }
 */
export class ConfigError extends FlowllmError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super('FLOWLLM_CONFIG', issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }

  /** True for a ConfigError, even one thrown by another copy of the package. */
  static override isInstance(value: unknown): value is ConfigError {
    return FlowllmError.isInstance(value) && value.code === 'FLOWLLM_CONFIG';
  }
}

/**
 * Formats a source as `file:line:column`, `file:line` or `file`.
 *
 * @example
 * formatSource({ file: 'a.yaml', line: 3, column: 5 }); // 'a.yaml:3:5'
 */
export function formatSource(source: ConfigSource): string {
  if (source.line === undefined) return source.file;
  return source.column === undefined
    ? `${source.file}:${source.line}`
    : `${source.file}:${source.line}:${source.column}`;
}

/**
 * Formats an issue or warning as one line: `source: path: message`.
 *
 * @example
 * formatIssue({ path: 'http.port', message: 'expected integer, found string', source: { file: 'a.yaml', line: 2, column: 9 } });
 * // 'a.yaml:2:9: http.port: expected integer, found string'
 */
export function formatIssue(issue: ConfigIssue): string {
  const parts: string[] = [];
  if (issue.source) parts.push(formatSource(issue.source));
  if (issue.path) parts.push(issue.path);
  parts.push(issue.message);
  return parts.join(': ');
}

/**
 * True when a key name looks like it holds a secret (contains key, token, secret or password);
 * values under such keys are never printed, not even for enum mismatches.
 *
 * @example
 * isSecretKey('api_key'); // true
 * isSecretKey('backend'); // false
 */
export function isSecretKey(key: string): boolean {
  return /key|token|secret|password/i.test(key);
}

/**
 * Whether a config value may appear in a message: only short, name-like values under keys that
 * do not look secret (`openai_compatible`, `sse`), never anything that could be a credential.
 *
 * @example
 * isShowable('backend', 'openai_compatible'); // true
 * isShowable('backend', 'sk-live-abc123');    // false
 */
export function isShowable(key: string, value: string): boolean {
  return (
    !isSecretKey(key) &&
    !isSecretKey(value) &&
    value.length <= 32 &&
    /^[A-Za-z][A-Za-z0-9_.-]*$/.test(value) &&
    !/^sk[-_]/i.test(value)
  );
}

/**
 * Names the type of a value for messages (`string`, `integer`, `number`, `boolean`, `null`,
 * `array`, `object`) without revealing the value.
 *
 * @example
 * typeName(3); // 'integer'
 * typeName([1]); // 'array'
 */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
