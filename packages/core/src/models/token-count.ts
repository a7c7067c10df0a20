import type { TokenCountConfig } from '../config/config-types.js';
import { FlowllmError } from '../errors.js';
import { countOpenAiTokens, encodingForModel, isOpenAiEncoding, loadEncoder } from './token-count-openai.js';
import type { Message, ToolSpec } from './types.js';

// Token counting as FlowLLM's core/token: `base` estimates from characters, `openai` runs OpenAI's
// tokenizer, `hf` (a HuggingFace tokenizer, which needs a model download) falls back to `base`.

/**
 * What {@link countTokens} found: the count and how it was counted (`base`, `openai o200k_base`).
 *
 * @example
 * const { count, method }: TokenCount = await countTokens(messages, { backend: 'base', model_name: '', params: {} });
 */
export interface TokenCount {
  count: number;
  method: string;
}

/**
 * Counts the tokens of a conversation (and of the tools offered with it) as the `token_count` config
 * of an llm entry says. `model_name: ""` counts for `fallbackModel` (the entry's own model).
 *
 * @example
 * const { count } = await countTokens([{ role: 'user', content: 'hello world' }], { backend: 'openai', model_name: 'gpt-4', params: {} });
 * count; // 6: 4 for the message framing, 2 for the text
 */
export async function countTokens(
  messages: readonly Message[],
  config: TokenCountConfig,
  options: { fallbackModel?: string; tools?: readonly ToolSpec[] } = {},
): Promise<TokenCount> {
  const model = config.model_name || options.fallbackModel || '';
  if (config.backend === 'openai') {
    const encoding = await openAiEncoding(model, config.params.encoding);
    const count = countOpenAiTokens(await loadEncoder(encoding), messages, options.tools);
    return { count, method: `openai ${encoding}` };
  }
  if (config.backend === 'hf') warnHfOnce();
  return { count: estimateTokens(messages, options.tools), method: 'base' };
}

/**
 * FlowLLM's `BaseToken` estimate: the characters of every message's content and reasoning and of the
 * offered tools' names and descriptions, divided by 4 and rounded up. Characters are Unicode code
 * points, as Python's `len` counts them.
 *
 * @example
 * estimateTokens([{ role: 'user', content: 'hello world' }]); // 3
 */
export function estimateTokens(messages: readonly Message[], tools: readonly ToolSpec[] = []): number {
  let characters = 0;
  for (const message of messages) {
    characters += codePoints(message.content ?? '') + codePoints(message.reasoning_content ?? '');
  }
  for (const tool of tools) {
    characters += codePoints(tool.function.name) + codePoints(tool.function.description ?? '');
  }
  return Math.ceil(characters / 4);
}

/** As tiktoken: the model's encoding, `o200k_base` for a model it does not know; `params.encoding` wins. */
async function openAiEncoding(model: string, wanted: unknown) {
  if (wanted === undefined) return (await encodingForModel(model)) ?? 'o200k_base';
  if (isOpenAiEncoding(wanted)) return wanted;
  throw new FlowllmError(
    'FLOWLLM_MODEL_CONFIG',
    'token_count.params.encoding must be one of o200k_base, cl100k_base, p50k_base, p50k_edit, r50k_base, gpt2',
  );
}

function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

let hfWarned = false;

/** One warning per process: every `hf` entry is counted the same way, and why is said once. */
function warnHfOnce(): void {
  if (hfWarned) return;
  hfWarned = true;
  process.emitWarning(
    "token_count backend 'hf' counts with the base estimate (characters / 4): HuggingFace tokenizers need the model's tokenizer files downloaded from the Hub, which flowllm does not do",
    { code: 'FLOWLLM_TOKEN_COUNT_HF' },
  );
}
