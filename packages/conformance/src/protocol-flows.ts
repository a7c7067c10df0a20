import type { MockLlmStats } from '@flowllm/core/models';
import { expect } from 'vitest';
import { HANG_MS, waitFor } from './wait.js';

// Flows and models shared by the groups that drive other clients' protocols (ui-stream, openai-facade).

/** The 40 words of the `long` model's answer. */
export const WORDS = Array.from({ length: 40 }, (_, i) => `w${i}`);
/** The `long` model's whole answer. */
export const LONG_ANSWER = WORDS.join(' ');
/** The one result the offline agent's search makes up. */
export const SEARCH_RESULT = {
  snippet: 's',
  title: 't',
  url: 'https://example.com/a',
  hostname: 'example.com',
};

/**
 * `talk` (think + answer), `typed` (declares `query` and an integer `top_k`), `agent` (an offline agent with
 * a search tool), `broken` (fails after two tokens), `long` (~1 s of tokens).
 */
export const PROTOCOL_FLOWS = {
  talk: { flow_content: 'StreamChatOp()', stream: true },
  typed: {
    flow_content: 'StreamChatOp()',
    stream: true,
    input_schema: {
      query: { type: 'string' as const, description: 'the question', required: true },
      top_k: { type: 'integer' as const, description: 'results', required: false },
    },
  },
  agent: {
    flow_content:
      'ReactAgentOp(llm="agent", tool_call_interval=0) << MockSearchOp(llm="agent", num_results=1)',
    stream: true,
  },
  broken: { flow_content: 'StreamChatOp(llm="broken")', stream: true },
  long: { flow_content: 'StreamChatOp(llm="long")', stream: true },
};

/** The models of {@link PROTOCOL_FLOWS}. */
export const PROTOCOL_MODELS = {
  default: { backend: 'mock', think: 'Let me see', answer: 'Hello {input}!' },
  // An offline agent: the model calls mock_search, the search makes up one result, the model answers.
  agent: {
    backend: 'mock',
    script: [
      {
        match: 'realistic web search results',
        answer: `\`\`\`json\n${JSON.stringify([{ ...SEARCH_RESULT, hostlogo: '' }])}\n\`\`\``,
      },
      { match_tool: 'example\\.com', answer: 'Found it on example.com.' },
      { match: 'find', tool_calls: [{ name: 'mock_search', arguments: { query: 'the page' } }] },
    ],
  },
  broken: { backend: 'mock', answer: 'one two three four', error: 'boom', error_after: 2 },
  // 40 tokens 25 ms apart: ~1 s, so an abort or a reconnect lands while the model still produces.
  long: { backend: 'mock', answer: LONG_ANSWER, token_delay_ms: 25 },
};

/**
 * Aborts a client's request while the model is producing, and checks the server stopped it: the model
 * stream aborted after the client's abort (never completed), and the stream pump finished.
 */
export async function expectAbortStopsModel(
  abort: AbortController,
  stats: MockLlmStats,
  service: { openStreamCount: number },
): Promise<void> {
  expect(stats.active).toBe(1);
  const abortAt = performance.now();
  abort.abort();
  await waitFor(() => stats.aborted === 1, HANG_MS, 'the model stream to be aborted');
  expect(stats.lastAbortAt!).toBeGreaterThanOrEqual(abortAt);
  expect(stats.completed).toBe(0);
  await waitFor(() => service.openStreamCount === 0, HANG_MS, 'the stream pump to finish');
}
