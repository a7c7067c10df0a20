// The public surface of the config module, listed by name so it stays visible and deliberate.
export {
  applyOverrides,
  type CliArgs,
  type CliOverride,
  coerceCliValue,
  parseCliArgs,
} from './cli-args.js';
export {
  ConfigError,
  type ConfigIssue,
  type ConfigSource,
  type ConfigWarning,
  formatIssue,
  formatSource,
  isSecretKey,
} from './config-error.js';
export type {
  CmdConfig,
  CorsConfig,
  EmbeddingModelConfig,
  FlowConfig,
  FlowllmConfig,
  HttpConfig,
  InputFieldConfig,
  InputFieldType,
  LlmConfig,
  McpConfig,
  VectorStoreConfig,
} from './config-types.js';
export { type DotEnvOptions, loadDotEnv, parseDotEnv } from './dotenv.js';
export type {
  AnySpec,
  ArraySpec,
  BackendKeys,
  BackendKind,
  BooleanSpec,
  CommonSpec,
  ConfigBackends,
  FieldSpec,
  IntegerSpec,
  NumberSpec,
  ObjectSpec,
  RecordSpec,
  StringSpec,
} from './field-spec.js';
export { type LoadConfigOptions, type LoadedConfig, loadConfig } from './load.js';
export { defaultBuiltinDir, resolveConfigFile } from './locate.js';
export { CONFIG_SCHEMA, FLOW_NAME_PATTERN } from './schema.js';
export { SourceMap } from './source-map.js';
export { type ValidatedConfig, type ValidateOptions, validateConfig } from './validate.js';
