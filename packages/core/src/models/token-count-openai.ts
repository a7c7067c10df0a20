import type { Tiktoken } from 'js-tiktoken/lite';
import { FlowllmError } from '../errors.js';
import { LazySdk } from './provider-client.js';
import type { Message, ToolSpec } from './types.js';

// The `openai` token counter: OpenAI's BPE encodings through js-tiktoken, an optional peer loaded on
// first use (its rank tables are 22 MB installed; users who never count tokens never install them).

const tiktoken = new LazySdk('js-tiktoken/lite', () => import('js-tiktoken/lite'));

/**
 * Throws, naming the package to install, when js-tiktoken (an optional peer of @flowllm/core) is not
 * installed: for `token_count` settings that need it, checked when they are read.
 *
 * @example
 * requireTiktoken(); // throws FLOWLLM_CONFIG "token_count backend 'openai' needs js-tiktoken: npm install js-tiktoken"
 */
export function requireTiktoken(): void {
  if (tiktoken.installed()) return;
  throw new FlowllmError(
    'FLOWLLM_CONFIG',
    "token_count backend 'openai' needs js-tiktoken: npm install js-tiktoken",
  );
}

const RANKS = {
  o200k_base: () => import('js-tiktoken/ranks/o200k_base'),
  cl100k_base: () => import('js-tiktoken/ranks/cl100k_base'),
  p50k_base: () => import('js-tiktoken/ranks/p50k_base'),
  p50k_edit: () => import('js-tiktoken/ranks/p50k_edit'),
  r50k_base: () => import('js-tiktoken/ranks/r50k_base'),
  gpt2: () => import('js-tiktoken/ranks/gpt2'),
} as const;

/**
 * An OpenAI tokenizer encoding js-tiktoken ships.
 *
 * @example
 * const encoding: OpenAiEncoding = 'o200k_base';
 */
export type OpenAiEncoding = keyof typeof RANKS;

// tiktoken's own prefix table (`encoding_for_model`) for dated and fine-tuned names.
const PREFIXES: readonly (readonly [string, OpenAiEncoding])[] = [
  ['gpt-4o-', 'o200k_base'],
  ['chatgpt-4o-', 'o200k_base'],
  ['gpt-4.1-', 'o200k_base'],
  ['gpt-4.5-', 'o200k_base'],
  ['gpt-5-', 'o200k_base'],
  ['o1-', 'o200k_base'],
  ['o3-', 'o200k_base'],
  ['o4-mini-', 'o200k_base'],
  ['ft:gpt-4o', 'o200k_base'],
  ['gpt-4-', 'cl100k_base'],
  ['gpt-3.5-turbo-', 'cl100k_base'],
  ['gpt-35-turbo-', 'cl100k_base'],
  ['ft:gpt-4', 'cl100k_base'],
  ['ft:gpt-3.5-turbo', 'cl100k_base'],
  ['ft:davinci-002', 'cl100k_base'],
  ['ft:babbage-002', 'cl100k_base'],
];

const encoders = new Map<OpenAiEncoding, Promise<Tiktoken>>();

/**
 * The encoding of a model as tiktoken's `encoding_for_model` picks it (exact names, then dated and
 * fine-tuned prefixes); `undefined` for a model it does not know.
 *
 * @example
 * encodingForModel('gpt-4o-2024-08-06'); // 'o200k_base'
 * encodingForModel('gpt-4'); // 'cl100k_base'
 * encodingForModel('qwen3-30b-a3b-instruct-2507'); // undefined
 */
export async function encodingForModel(model: string): Promise<OpenAiEncoding | undefined> {
  requireTiktoken();
  const { getEncodingNameForModel } = await tiktoken.load();
  try {
    return getEncodingNameForModel(model as Parameters<typeof getEncodingNameForModel>[0]);
  } catch {
    return PREFIXES.find(([prefix]) => model.startsWith(prefix))?.[1];
  }
}

/**
 * Checks an encoding name from config (`token_count.params.encoding`).
 *
 * @example
 * isOpenAiEncoding('cl100k_base'); // true
 */
export function isOpenAiEncoding(name: unknown): name is OpenAiEncoding {
  return typeof name === 'string' && Object.hasOwn(RANKS, name);
}

/**
 * The tokenizer of one encoding, built once per process (building parses the rank table).
 *
 * @example
 * (await loadEncoder('cl100k_base')).encode('hello world').length; // 2
 */
export function loadEncoder(encoding: OpenAiEncoding): Promise<Tiktoken> {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    requireTiktoken();
    encoder = Promise.all([tiktoken.load(), RANKS[encoding]()]).then(
      ([{ Tiktoken }, ranks]) => new Tiktoken(ranks.default),
    );
    // A failed load (a missing package) is not cached: the next count tries again.
    encoder.catch(() => encoders.delete(encoding));
    encoders.set(encoding, encoder);
  }
  return encoder;
}

/**
 * FlowLLM's `OpenAIToken` count: 4 per message for its framing, the tokens of its content and of
 * each tool call (as FlowLLM's JSON of it), plus the tokens of each offered tool's JSON.
 *
 * @example
 * countOpenAiTokens(await loadEncoder('cl100k_base'), [{ role: 'user', content: 'hello world' }]); // 6
 */
export function countOpenAiTokens(
  encoder: Tiktoken,
  messages: readonly Message[],
  tools?: readonly ToolSpec[],
): number {
  const tokens = (text: string) => encoder.encode(text).length;
  let total = 0;
  for (const message of messages) {
    total += 4;
    if (message.content) total += tokens(message.content);
    for (const call of message.tool_calls ?? []) {
      const { index, id, function: fn, type } = call;
      total += tokens(pythonJson({ index, id, function: { arguments: fn.arguments, name: fn.name }, type }));
    }
  }
  for (const tool of tools ?? []) total += tokens(pythonJson(tool));
  return total;
}

/**
 * JSON as Python's `json.dumps(value, ensure_ascii=False)` writes it (`", "` and `": "` separators),
 * so counts match FlowLLM's for the same tool calls.
 *
 * @example
 * pythonJson({ a: [1, 'x'] }); // '{"a": [1, "x"]}'
 */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${pythonJson(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
