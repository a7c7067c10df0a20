import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A tool result as the text a model reads: the text blocks (and text resources) joined by newlines,
 * as FlowLLM's client does; without any, the structured content as JSON; else a note of what came.
 *
 * @example
 * resultText({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }); // 'a\nb'
 */
export function resultText(result: CallToolResult): string {
  const texts: string[] = [];
  for (const block of result.content ?? []) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'resource' && 'text' in block.resource) texts.push(block.resource.text);
  }
  if (texts.length > 0) return texts.join('\n');
  if (result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  const kinds = [...new Set((result.content ?? []).map((block) => block.type))];
  return kinds.length > 0 ? `(the tool returned ${kinds.join(', ')} content, not text)` : '';
}
