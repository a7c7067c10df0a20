import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigSource, type ConfigWarning, typeName } from './config-error.js';
import type { ConfigLayer } from './merge.js';
import { YamlWalker, yamlNodeBudget } from './yaml-walker.js';

/**
 * A parsed YAML config file, with a source for every key path and any warnings from the parser.
 *
 * @example
 * const { value, sources, warnings }: YamlLayer = readYamlLayer('/etc/flow.yaml', 'flow.yaml', process.env);
 */
export interface YamlLayer extends ConfigLayer {
  warnings: ConfigWarning[];
}

/**
 * Reads a YAML config file. `${VAR}` references in string values are filled from `env`.
 * Throws a `ConfigError` for unreadable files, syntax errors (with line:column and the parser's
 * reason, never the offending text), duplicate keys, a top level that is not a mapping, forbidden
 * keys and unset variables. `displayName` is the file name used in messages.
 *
 * @example
 * const layer = readYamlLayer('/work/app/my_config.yaml', 'my_config.yaml', process.env);
 * layer.sources.get(['http', 'port']); // { file: 'my_config.yaml', line: 3, column: 9 }
 */
export function readYamlLayer(
  file: string,
  displayName: string,
  env: Record<string, string | undefined>,
): YamlLayer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError([
      { path: '', message: `cannot read config file (${code})`, source: { file: displayName } },
    ]);
  }
  return parseYamlLayer(text, displayName, env);
}

/**
 * Parses YAML text into a config layer; see `readYamlLayer`.
 *
 * @example
 * parseYamlLayer('http:\n  port: 9000\n', 'inline.yaml', {}).value; // { http: { port: 9000 } }
 */
export function parseYamlLayer(
  text: string,
  displayName: string,
  env: Record<string, string | undefined>,
): YamlLayer {
  const lineCounter = new LineCounter();
  // prettyErrors would quote the offending source line, which may hold a secret.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): ConfigSource => {
    if (offset === undefined) return { file: displayName };
    const { line, col } = lineCounter.linePos(offset);
    return { file: displayName, line, column: col };
  };
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => ({
        path: '',
        message: `invalid YAML: ${error.message}`,
        source: at(error.pos[0]),
      })),
    );
  }
  const warnings = document.warnings.map((warning) => ({
    path: '',
    message: `YAML: ${warning.message}`,
    source: at(warning.pos[0]),
  }));
  const walker = new YamlWalker(document, { at, env, nodeBudget: yamlNodeBudget(text.length) });
  const value = document.contents === null ? {} : walker.walk(document.contents, []);
  if (!walker.issues.length && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    const found = Array.isArray(value) ? 'a list' : `a single ${typeName(value)}`;
    walker.issues.push({
      path: '',
      message: `the top level must be a mapping of keys, found ${found}`,
      source: at(0),
    });
  }
  if (walker.issues.length > 0) throw new ConfigError(walker.issues);
  return { value: value as Record<string, unknown>, sources: walker.sources, warnings };
}
