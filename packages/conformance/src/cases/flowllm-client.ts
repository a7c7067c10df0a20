import { fileURLToPath } from 'node:url';
import { MockLlm } from '@flowllm/core/models';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../harness.js';

/** The seed's streaming quick-start config. */
export const DEMO_CONFIG = fileURLToPath(
  new URL('../../../../examples/stream-demo/my_stream_config.yaml', import.meta.url),
);

interface ClientChunk {
  type: string;
  content: unknown;
}

/** Python truthiness of a JSON value, as FlowLLM's client tests `if content:`. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** Lines of a body, split like httpx's aiter_lines (LF, CRLF or CR). */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    buffer += decoder.decode(part.value, { stream: true });
    const pieces = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = pieces.pop() ?? '';
    yield* pieces;
  }
  buffer += decoder.decode();
  if (buffer !== '') yield* buffer.split(/\r\n|\r|\n/);
}

/**
 * FlowLLM 0.2's `HttpClient.execute_stream_flow`, line for line: keep lines starting with `data:`, take
 * the text after the colon, strip, stop at `[DONE]`, skip non-JSON, yield `{type, content}` when the
 * content is not empty.
 */
async function* executeStreamFlow(base: string, flow: string, body: Record<string, unknown>) {
  const response = await fetch(`${base}/${flow}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  for await (const line of lines(response.body!)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') break;
    let chunk: { chunk_type: string; chunk: unknown };
    try {
      chunk = JSON.parse(data);
    } catch {
      continue;
    }
    if (truthy(chunk.chunk)) yield { type: chunk.chunk_type, content: chunk.chunk } satisfies ClientChunk;
  }
}

/** The think and answer chunks a mock model scripted with `reply` streams for `query`. */
async function mockChunks(reply: { think?: string; answer?: string }, query: string): Promise<ClientChunk[]> {
  const fill = (text = '') => text.replaceAll('{input}', query);
  const model = new MockLlm({ think: fill(reply.think), answer: fill(reply.answer) });
  const chunks: ClientChunk[] = [];
  for await (const chunk of model.stream([{ role: 'user', content: query }])) {
    if (chunk.chunk_type === 'think' || chunk.chunk_type === 'answer')
      chunks.push({ type: chunk.chunk_type, content: chunk.chunk });
  }
  return chunks;
}

/** FlowLLM 0.2's own HTTP client against the target, on the seed's demo config. */
export function flowllmClientCases(ctx: SuiteContext): void {
  describe("FlowLLM's client", () => {
    it('gets the demo flow (GenSystemPromptOp() >> StreamChatOp()) think and answer chunks in order', async () => {
      // The seed's config, unchanged, with faster tokens.
      const { url, llm, app } = await ctx.start([DEMO_CONFIG, { llm: { default: { token_delay_ms: 1 } } }]);
      const query = 'what is ai';
      const received: ClientChunk[] = [];
      for await (const chunk of executeStreamFlow(url, 'demo_stream_http_flow', { query }))
        received.push(chunk);
      const script = app.config.llm.default!.script as { think?: string; answer?: string }[];
      const expected = await mockChunks(script[1]!, query);
      expect(expected.length).toBeGreaterThan(20);
      expect(received).toEqual(expected);
      expect(
        received
          .filter((c) => c.type === 'answer')
          .map((c) => c.content)
          .join(''),
      ).toContain('You asked: "what is ai"');
      // One call for the system prompt, one streamed answer.
      expect(llm().stats.completed).toBe(2);
    });

    it('health_check and list_endpoints work as FlowLLM’s client expects', async () => {
      const { url } = await ctx.start([DEMO_CONFIG]);
      const health = await (await fetch(`${url}/health`)).json();
      expect(health).toEqual({ status: 'healthy' });
      const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(openapi.paths)).toContain('/demo_stream_http_flow');
    });

    it('a stream that fails mid-way surfaces as an error chunk the client yields', async () => {
      const { url } = await ctx.start({
        flow: { f: { flow_content: 'StreamChatOp()', stream: true } },
        llm: { default: { backend: 'mock', answer: 'a b c', error: 'quota exceeded', error_after: 1 } },
      });
      const received: ClientChunk[] = [];
      for await (const chunk of executeStreamFlow(url, 'f', { query: 'q' })) received.push(chunk);
      expect(received.map((c) => c.type)).toEqual(['answer', 'error']);
      expect(received[1]!.content).toContain('quota exceeded');
    });
  });
}
