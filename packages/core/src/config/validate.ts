import { type CheckContext, checkValue, isPlainObject, report } from './check-value.js';
import { ConfigError, type ConfigWarning, typeName } from './config-error.js';
import type { FlowllmConfig } from './config-types.js';
import type { ConfigBackends } from './field-spec.js';
import { checkFlowllmKeys } from './flowllm-compat.js';
import { CONFIG_SCHEMA } from './schema.js';
import { SourceMap } from './source-map.js';
import { quoteIfSafe } from './spec-messages.js';

/**
 * Options of `validateConfig`.
 *
 * @example
 * const options: ValidateOptions = { backends: { llm: { mock: {} }, embedding_model: { mock: {} }, vector_store: {} } };
 */
export interface ValidateOptions {
  /** The registered backends of each kind and the extra keys each accepts. */
  backends: ConfigBackends;
  /**
   * Where each key path was set, so issues name file:line:column.
   * @default none: issues name the key path only
   */
  sources?: SourceMap;
}

/**
 * A validated configuration and the warnings found on the way.
 *
 * @example
 * const { config, warnings }: ValidatedConfig = validateConfig(raw, { backends });
 */
export interface ValidatedConfig {
  config: FlowllmConfig;
  warnings: ConfigWarning[];
}

/**
 * Checks a merged configuration against the schema and fills every default. Collects all issues
 * and throws one `ConfigError` listing them; unknown keys are warnings (with a did-you-mean).
 *
 * @example
 * const { config, warnings } = validateConfig({ http: { port: 9000 } }, { backends });
 * config.http.port; // 9000
 * config.http.host; // '0.0.0.0'
 */
export function validateConfig(raw: unknown, options: ValidateOptions): ValidatedConfig {
  const context: CheckContext = {
    issues: [],
    warnings: [],
    sources: options.sources ?? new SourceMap(),
    backends: options.backends,
  };
  if (!isPlainObject(raw)) {
    report(context, [], `expected an object of settings at the top level, found ${typeName(raw)}`);
    throw new ConfigError(context.issues);
  }
  const checked = checkValue(CONFIG_SCHEMA, raw, [], context);
  // Cross-references are checked even when other keys failed, so every issue shows at once.
  checkReferences(isPlainObject(checked) ? checked : raw, context);
  checkCors(isPlainObject(checked) ? checked : raw, context);
  checkResume(isPlainObject(checked) ? checked : raw, context);
  checkOpenAIFacade(isPlainObject(checked) ? checked : raw, context);
  checkFlowllmKeys(isPlainObject(checked) ? checked : raw, context);
  if (context.issues.length > 0) throw new ConfigError(context.issues);
  return { config: checked as FlowllmConfig, warnings: context.warnings };
}

function checkReferences(config: Record<string, unknown>, context: CheckContext): void {
  const embeddingNames = isPlainObject(config.embedding_model) ? Object.keys(config.embedding_model) : [];
  if (isPlainObject(config.vector_store)) {
    for (const [name, store] of Object.entries(config.vector_store)) {
      const model = isPlainObject(store) ? store.embedding_model : undefined;
      if (typeof model !== 'string' || embeddingNames.includes(model)) continue;
      const configured = embeddingNames.length
        ? `configured: ${embeddingNames.join(', ')}`
        : 'none are configured';
      const quoted = quoteIfSafe(model, 'embedding_model');
      const missing = quoted ? `no embedding_model entry named ${quoted}` : 'no such embedding_model entry';
      report(context, ['vector_store', name, 'embedding_model'], `${missing}; ${configured}`);
    }
  }
  const flowNames = isPlainObject(config.flow) ? Object.keys(config.flow) : [];
  for (const key of ['enabled_flows', 'disabled_flows']) {
    const names = config[key];
    if (!Array.isArray(names)) continue;
    names.forEach((name, index) => {
      if (typeof name !== 'string' || flowNames.includes(name)) return;
      const flows = flowNames.length ? `flows: ${flowNames.join(', ')}` : 'no flows are configured';
      const quoted = quoteIfSafe(name, key);
      report(context, [key, String(index)], `${quoted ?? 'this name'} is not a flow; ${flows}`);
    });
  }
}

/** `*` with credentials would let any web page read answers with its visitors' cookies. */
const KEY_PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

/** `resume`: a usable Redis URL for the redis backend (never echoed: it may hold a password), sane bounds. */
const FACADE_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;
const FACADE_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// Fields of an OpenAI message or delta: a reasoning field named like one would overwrite it.
const RESERVED_DELTA_FIELDS = new Set([
  'role',
  'content',
  'refusal',
  'tool_calls',
  'function_call',
  'audio',
  'name',
  'annotations',
  'tool_call_id',
]);

/** `openai_facade`: a path of plain segments (no trailing slash), a usable field name, no empty keys. */
function checkOpenAIFacade(config: Record<string, unknown>, context: CheckContext): void {
  const facade = config.openai_facade;
  if (!isPlainObject(facade)) return;
  const { path, reasoning_field: field, api_keys: keys } = facade;
  if (typeof path === 'string' && !FACADE_PATH.test(path))
    report(
      context,
      ['openai_facade', 'path'],
      "expected a path like '/v1': segments of A-Z a-z 0-9 . _ ~ -, no trailing slash",
    );
  if (typeof field === 'string' && RESERVED_DELTA_FIELDS.has(field))
    report(
      context,
      ['openai_facade', 'reasoning_field'],
      `'${field}' is a field of OpenAI's message itself; use e.g. reasoning_content or reasoning`,
    );
  else if (typeof field === 'string' && !FACADE_FIELD.test(field))
    report(
      context,
      ['openai_facade', 'reasoning_field'],
      'expected a JSON field name: a letter or _, then letters, digits or _',
    );
  if (Array.isArray(keys))
    keys.forEach((key, index) => {
      // Never echo a key: it is a secret.
      if (typeof key === 'string' && key.trim() === '')
        report(context, ['openai_facade', 'api_keys', String(index)], 'an API key must not be empty');
    });
}

function checkResume(config: Record<string, unknown>, context: CheckContext): void {
  const resume = config.resume;
  if (!isPlainObject(resume)) return;
  const { backend, redis_url: url, key_prefix: prefix, ttl_seconds: ttl } = resume;
  if (backend === 'redis' && typeof url === 'string' && !isRedisUrl(url)) {
    const why = url === '' ? 'is empty' : 'is not a redis: or rediss: URL';
    report(
      context,
      ['resume', 'redis_url'],
      `backend redis needs a Redis URL (redis://host:6379); this one ${why}`,
    );
  }
  if (backend !== 'redis' && typeof url === 'string' && url !== '') {
    const source = context.sources.lookup(['resume', 'redis_url']);
    context.warnings.push({
      path: 'resume.redis_url',
      message: `ignored: resume.backend is ${String(backend)}, not redis`,
      ...(source && { source }),
    });
  }
  if (typeof prefix === 'string' && !KEY_PREFIX.test(prefix))
    report(
      context,
      ['resume', 'key_prefix'],
      'expected 1-64 characters of A-Z a-z 0-9 _ . : - (no {} hash tags)',
    );
  if (typeof ttl !== 'number') return;
  if (typeof resume.detach_seconds === 'number' && resume.detach_seconds > ttl)
    report(
      context,
      ['resume', 'detach_seconds'],
      `must not exceed resume.ttl_seconds (${ttl}); it is ${resume.detach_seconds}${resume.detach_seconds === 60 ? ' (the default)' : ''}`,
    );
  // Leases are the Redis store's (how lost instances are found); the memory store has none.
  if (backend === 'redis' && typeof resume.lease_seconds === 'number' && resume.lease_seconds >= ttl)
    report(context, ['resume', 'lease_seconds'], `must be less than resume.ttl_seconds (${ttl})`);
}

function isRedisUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'redis:' || protocol === 'rediss:') && hostname !== '';
  } catch {
    return false;
  }
}

function checkCors(config: Record<string, unknown>, context: CheckContext): void {
  const cors = isPlainObject(config.http) ? config.http.cors : undefined;
  if (!isPlainObject(cors) || !Array.isArray(cors.allow_origins)) return;
  const credentials = cors.allow_credentials === true;
  if (credentials && cors.allow_origins.includes('*')) {
    report(
      context,
      ['http', 'cors', 'allow_credentials'],
      "credentials cannot be allowed for any origin ('*' in http.cors.allow_origins): list the origins that may send cookies, or leave allow_credentials off",
    );
  }
  cors.allow_origins.forEach((origin, index) => {
    const problem = typeof origin === 'string' ? originProblem(origin, credentials) : undefined;
    if (problem) report(context, ['http', 'cors', 'allow_origins', String(index)], problem);
  });
}

function isSerializedOrigin(origin: string): boolean {
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}

/** Why an `allow_origins` entry can never match as meant, or undefined when it is fine. */
function originProblem(origin: string, credentials: boolean): string | undefined {
  if (origin === '*') return undefined;
  // Sandboxed frames, file: and data: pages all send `Origin: null`: any site can make one.
  if (origin === 'null')
    return credentials
      ? "'null' is the origin of sandboxed frames and file: and data: pages, which any site can create: it may not be sent credentials"
      : undefined;
  if (isSerializedOrigin(origin)) return undefined;
  // Values stay out of messages unless plainly not secret (the entry's index says which one).
  const quoted = quoteIfSafe(origin, 'allow_origins');
  return `${quoted ?? 'this entry'} is not an origin as browsers send it, so it never matches: write scheme://host[:port], lower-case, without a path or a trailing slash`;
}
