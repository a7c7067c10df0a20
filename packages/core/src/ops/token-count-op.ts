import { type CheckContext, checkValue, isPlainObject } from '../config/check-value.js';
import type { LlmConfig, TokenCountConfig } from '../config/config-types.js';
import { TOKEN_COUNT_SCHEMA } from '../config/schema.js';
import { SourceMap } from '../config/source-map.js';
import type { FlowContext } from '../engine/context.js';
import type { FlowResources } from '../engine/resources.js';
import { FlowllmError } from '../errors.js';
import { countTokens } from '../models/token-count.js';
import { requireTiktoken } from '../models/token-count-openai.js';
import type { Message } from '../models/types.js';
import { BaseOp } from '../op/base-op.js';
import { OpConfigError } from '../op/op-errors.js';

const BASE_ESTIMATE: TokenCountConfig = { backend: 'base', model_name: '', params: {} };

/**
 * FlowLLM's `TokenCountOp`: counts the tokens of the context's `messages` as its llm entry's
 * `token_count` config says (`base`, `openai`, `hf`), logs the count, and stores it as the context
 * key `token_count` and in `response.metadata.token_count`. A `token_count={…}` kwarg, of the same
 * shape, replaces the entry's config for this op.
 *
 * @example
 * // flow_content: GenSystemPromptOp() >> TokenCountOp(token_count={"backend": "openai", "model_name": "gpt-4o"})
 */
export class TokenCountOp extends BaseOp {
  static override options: Record<string, unknown> = { token_count: null };
  private readonly ownConfig: TokenCountConfig | undefined;

  constructor(kwargs: Record<string, unknown> = {}) {
    super(kwargs);
    const own = this.option<unknown>('token_count');
    this.ownConfig = own === null || own === undefined ? undefined : checkedConfig(own);
    // A missing js-tiktoken fails the config at start, not the first request.
    if (this.ownConfig?.backend === 'openai') requireInstalled();
  }

  async execute(): Promise<void> {
    const context = this.context;
    const messages = messagesOf(context);
    const llm = context.resources.llm(this.common.llm);
    const config = this.ownConfig ?? entryConfig(context.resources, this.common.llm) ?? BASE_ESTIMATE;
    const { count, method } = await countTokens(messages, config, { fallbackModel: llm.modelName });
    console.info(`[${context.flowId}] ${this.name}: ${count} tokens (${method})`);
    context.set('token_count', count);
    context.response.metadata.token_count = count;
  }
}

/**
 * The llm entry's `token_count`, when the app's resources expose their entries (`llmConfig`); apps
 * built from a config do, hand-made resources may not.
 */
function entryConfig(resources: FlowResources, name: string): TokenCountConfig | undefined {
  const withEntries = resources as FlowResources & { llmConfig?: (name: string) => LlmConfig | undefined };
  return withEntries.llmConfig?.(name)?.token_count;
}

function requireInstalled(): void {
  try {
    requireTiktoken();
  } catch (error) {
    throw new OpConfigError(`TokenCountOp: ${(error as Error).message}`);
  }
}

/** The kwarg checked against the same schema as the config key, defaults filled. */
function checkedConfig(value: unknown): TokenCountConfig {
  const check: CheckContext = {
    issues: [],
    warnings: [],
    sources: new SourceMap(),
    backends: { llm: {}, embedding_model: {}, vector_store: {} },
  };
  const checked = checkValue(TOKEN_COUNT_SCHEMA, value, ['token_count'], check);
  const problems = [...check.issues, ...check.warnings].map((issue) => `${issue.path}: ${issue.message}`);
  if (problems.length > 0) throw new OpConfigError(`TokenCountOp: ${problems.join('; ')}`);
  return checked as TokenCountConfig;
}

/** FlowLLM counts `context.messages` only (none: 0 tokens); each must be a `{role, content}` object. */
function messagesOf(context: FlowContext): Message[] {
  const messages = context.get<unknown>('messages') ?? [];
  const invalid = (problem: string) =>
    new FlowllmError('FLOWLLM_INPUT', `TokenCountOp: ${problem}`, { expose: true, status: 422 });
  if (!Array.isArray(messages)) throw invalid("'messages' must be a list of {role, content} messages");
  return messages.map((message, index) => {
    const content = isPlainObject(message) ? (message.content ?? '') : undefined;
    if (!isPlainObject(message) || typeof message.role !== 'string' || typeof content !== 'string') {
      throw invalid(`messages[${index}] must be a {role, content} message with text content`);
    }
    const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : undefined;
    return { ...message, content, reasoning_content: reasoning } as Message;
  });
}
