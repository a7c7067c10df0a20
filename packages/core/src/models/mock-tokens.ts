// A CJK character is a token of its own; other words keep their leading whitespace, as model
// tokenizers do, so joining the tokens gives back the text exactly.
const TOKEN =
  /\s*(?:[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}_']+|[^\s])|\s+$/gsu;

/**
 * Splits text into mock "tokens"; `tokens.join('') === text`.
 *
 * @example
 * mockTokens('Hello world!') // ['Hello', ' world', '!']
 */
export function mockTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}
