import path from 'node:path';
import { isPlainObject } from './check-value.js';
import { applyOverrides, parseCliArgs } from './cli-args.js';
import { ConfigError, type ConfigIssue, type ConfigWarning } from './config-error.js';
import type { FlowllmConfigLayer } from './config-input.js';
import { loadDotEnv } from './dotenv.js';
import type { ConfigBackends } from './field-spec.js';
import { defaultBuiltinDir, resolveConfigFile } from './locate.js';
import { type ConfigLayer, mergeLayer } from './merge.js';
import { SourceMap } from './source-map.js';
import { type ValidatedConfig, validateConfig } from './validate.js';
import { readYamlLayer } from './yaml-layer.js';

/**
 * Options of `loadConfig`.
 *
 * @example
 * const options: LoadConfigOptions = { configs: ['my_stream_config'], overrides: ['http.port=9000'], backends };
 */
export interface LoadConfigOptions {
  /**
   * Layers over the built-in defaults, in order: names, YAML paths, or config objects (checked
   * when loaded, so any object is accepted here).
   * @default [] (the built-in defaults only)
   */
  configs?: (string | FlowllmConfigLayer | Record<string, unknown>)[];
  /**
   * Raw `key=value` arguments, applied last; a `config=` among them adds configs after `configs`.
   * @default []
   */
  overrides?: string[];
  /**
   * Where config names, relative paths and `.env` are looked up.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * The environment for `${VAR}`; `.env` fills it first.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
  /** The registered model backends and their extra keys. */
  backends: ConfigBackends;
  /**
   * Folder of the built-in configs.
   * @default the package's `configs/` folder
   */
  builtinDir?: string;
  /**
   * Load `.env` from `cwd` or its parents into `env` first.
   * @default true
   */
  dotenv?: boolean;
}

/**
 * A loaded configuration: the validated config and warnings, the YAML files read (absolute, in
 * layering order, the built-in default first), where every key was set, and the `.env` used.
 *
 * @example
 * const { config, warnings, files, sources }: LoadedConfig = loadConfig({ backends });
 */
export interface LoadedConfig extends ValidatedConfig {
  files: string[];
  sources: SourceMap;
  envFile: string | undefined;
}

/**
 * Loads the configuration: `.env`, then the built-in `builtin-defaults.yaml`, each config in order, and
 * the overrides, merged (mappings deeply, everything else replaced) and validated. Throws a
 * `ConfigError` listing every problem with its file:line:column.
 *
 * @example
 * const { config } = loadConfig({ configs: ['my_stream_config'], overrides: ['--http.port=9000'], backends });
 * config.http.port; // 9000
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const envFile = options.dotenv === false ? undefined : loadDotEnv({ cwd, env });
  const builtinDir = options.builtinDir ?? defaultBuiltinDir();
  const display = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };

  const issues: ConfigIssue[] = [];
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!ConfigError.isInstance(error)) throw error;
      issues.push(...error.issues);
      return undefined;
    }
  };
  const args = collect(() => parseCliArgs(options.overrides ?? []));
  const merged: ConfigLayer = { value: {}, sources: new SourceMap() };
  const files: string[] = [];
  const warnings: ConfigWarning[] = [];
  const layers = [
    path.join(builtinDir, 'builtin-defaults.yaml'),
    ...(options.configs ?? []),
    ...(args?.configs ?? []),
  ];
  for (const [index, config] of layers.entries()) {
    collect(() => {
      const layer = typeof config === 'string' ? readFile(config, index === 0) : objectLayer(config);
      mergeLayer(merged, layer);
      if ('warnings' in layer) warnings.push(...(layer.warnings as ConfigWarning[]));
    });
  }
  if (args) collect(() => applyOverrides(merged.value, args.overrides, merged.sources));
  // Validating a half-loaded config would only add confusing issues; report the load ones first.
  if (issues.length > 0) throw new ConfigError(issues);

  const validated = validateConfig(merged.value, { backends: options.backends, sources: merged.sources });
  return {
    ...validated,
    warnings: [...warnings, ...validated.warnings],
    files,
    sources: merged.sources,
    envFile,
  };

  function readFile(config: string, builtin: boolean) {
    const file = builtin ? config : resolveConfigFile(config, { cwd, builtinDir });
    const layer = readYamlLayer(file, display(file), env);
    files.push(file);
    return layer;
  }
}

function objectLayer(config: unknown): ConfigLayer {
  if (!isPlainObject(config)) {
    throw new ConfigError([{ path: '', message: 'a config object must be a plain object of settings' }]);
  }
  const sources = new SourceMap();
  sources.set([], { file: 'config object' });
  return { value: config, sources };
}
